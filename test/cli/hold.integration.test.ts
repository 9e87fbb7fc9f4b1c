import { main } from '../../cli/main';
import { HoldFixture, loadHoldFixture, putVersion } from '../holds/hold-fixture';

/** `logvault hold ... --local` end to end: the handler code in-process against moto. */
describe('logvault hold --local', () => {
  let f: HoldFixture;
  let out: string[];
  let err: string[];

  const run = async (...args: string[]) => {
    out = [];
    err = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
    const error = jest
      .spyOn(console, 'error')
      .mockImplementation((...a) => void err.push(a.join(' ')));
    try {
      return await main(['hold', ...args, '--local', '--requester', 'alice']);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };
  const scope = ['--from', '2026-11-21T08:00:00Z', '--to', '2026-11-21T10:00:00Z'];
  const apply = [
    'apply',
    'CLI-1',
    '--dataset',
    'acme',
    ...scope,
    '--reason',
    'court order',
    '--ticket',
    'LEGAL-9',
  ];

  // Synthesizing both stacks (every function bundled) takes tens of seconds.
  beforeAll(async () => {
    f = await loadHoldFixture();
    process.env.LOGVAULT_ACCOUNT = f.accountId;
    for (const hour of ['08', '09', '10'])
      await putVersion(f, f.archive, `acme/2026/11/21/${hour}/obj`, '{"a":1}\n');
  }, 240_000);

  it('dry run prints count and bytes and holds nothing', async () => {
    expect(await run(...apply, '--dry-run', '--json')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      result: 'dry-run',
      objectCount: 2,
      bytes: 16,
    });
    expect(await run('list', '--json')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({ cases: [] });
  });

  it('applies, lists, shows and releases a case', async () => {
    expect(await run(...apply)).toBe(0);
    expect(out.join('\n')).toMatch(/CLI-1: apply complete: 2 object versions, 16 B/);
    expect(await run('list')).toBe(0);
    expect(out.join('\n')).toMatch(/CLI-1\s+acme\s+active\s+2/);
    expect(await run('release', 'CLI-1', '--reason', 'closed')).toBe(0);
    expect(await run('show', 'CLI-1')).toBe(0);
    const shown = out.join('\n');
    expect(shown).toMatch(/case:\s+CLI-1 \(acme\), released/);
    expect(shown).toMatch(/apply-started\s+alice/);
    expect(shown).toMatch(/release-completed\s+alice/);
  });

  it('exits 1 on a rejected request and 2 on bad usage', async () => {
    expect(await run('show', 'NO-SUCH-CASE')).toBe(1);
    expect(err.join('\n')).toMatch(/rejected: case NO-SUCH-CASE does not exist/);
    expect(
      await run('apply', '../x', '--dataset', 'acme', ...scope, '--reason', 'r', '--ticket', 't'),
    ).toBe(1);
    expect(err.join('\n')).toMatch(/caseId: case id must be letters and digits/);
    expect(await run('freeze', 'CLI-1')).toBe(2);
    expect(await run('show')).toBe(2);
  });
});
