import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ocspTraffic } from '../../core/traffic';
import { FirehoseSandbox, logvaultSandbox } from '../support/firehose-sandbox';
import { logvault } from '../support/cli';
import { useStandins } from '../support/standins';

/** `logvault ship` as a real process: files, exit codes, signals. */
const clients = useStandins();
const bin = join(__dirname, '../../bin/logvault');
const dir = mkdtempSync(join(tmpdir(), 'logvault-ship-'));
const lines = (n: number, seed = 3) =>
  [
    ...ocspTraffic({
      seed,
      // recent, inside the shipper's plausibility window
      start: new Date(Date.now() - 12 * 3600_000),
      end: new Date(Date.now() - 3600_000),
      lines: n,
    }),
  ].map((l) => JSON.stringify(l));

function run(
  args: string[],
  stdin?: string,
): { child: ChildProcess; done: Promise<{ code: number; stdout: string; stderr: string }> } {
  // From the repository root, where bin/logvault finds tsx; every path passed is absolute.
  const child = spawn(bin, args, {
    cwd: join(__dirname, '../..'),
    env: { ...process.env },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  if (stdin !== undefined) child.stdin!.end(stdin);
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { child, done };
}

let box: FirehoseSandbox;
beforeAll(async () => {
  box = await logvaultSandbox(clients, 'ship-cli-ocsp', 'ocsp');
});
afterAll(() => box.remove());

describe('logvault ship', () => {
  it('reports bad input by line number and reason, ships every good line, exits 1', async () => {
    const good = lines(5);
    const file = join(dir, 'mixed.ndjson');
    const body = Buffer.concat([
      Buffer.from(`${good[0]}\n${good[1].slice(0, 50)}\n`), // 2: truncated
      Buffer.from(`${good[1]}\n`),
      Buffer.from(`${JSON.stringify({ ...JSON.parse(good[2]), bytes: '503' })}\n`), // 4: wrong type
      Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff, 0x0a]), // 5: binary garbage
      Buffer.from(`\n${'{"a":"' + 'x'.repeat(9 * 1024 * 1024)}\n`), // 6 blank, 7: oversize
      Buffer.from(`${good[3]}\n${good[4]}`),
    ]);
    writeFileSync(file, body);
    const { code, stdout } = await run(['ship', '--type', 'ocsp', '--stream', box.stream, file])
      .done;
    expect(code).toBe(1);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      linesRead: 9,
      blankLines: 1,
      rejected: 4,
      delivered: 4,
      deadLettered: 0,
      rejectsFile: `${file}.rejects.ndjson`,
      deadLetterFile: null,
    });
    const rejects = readFileSync(`${file}.rejects.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [2, 'not JSON'],
      [4, 'bytes'],
      [5, 'not valid UTF-8 (binary data?)'],
      [
        7,
        'line is 9437190 bytes, more than the 8388608-byte (8 MiB) limit of one input line; a stored record holds at most 1024000 bytes',
      ],
    ]);
    expect(existsSync(`${file}.dead.ndjson`)).toBe(false);
  });

  it('exits 0 with an all-zero summary on empty input', async () => {
    // --stage resolves the stage's streams; with no lines, none is called.
    const { code, stdout } = await run(['ship', '--type', 'acme', '--stage', 'prod'], '').done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      input: 'stdin',
      streams: ['logvault-prod-acme-1'],
      linesRead: 0,
      delivered: 0,
      records: 0,
    });
  });

  // The process's own exit codes are proven by the spawned runs around it; these
  // four refusals run the same entry in this process (test/support/cli.ts).
  it('exits 2 on bad usage without sending anything', async () => {
    expect((await logvault(['ship', '--type', 'ocsp', join(dir, 'none')])).code).toBe(2);
    expect((await logvault(['ship', '--type', 'nope', '--stream', 's'])).code).toBe(2);
    expect(
      (await logvault(['ship', '--type', 'ocsp', '--stream', 's', '--stage', 'dev'])).code,
    ).toBe(2);
    expect(
      (await logvault(['ship', '--type', 'ocsp', '--stream', 's', join(dir, 'missing')])).code,
    ).toBe(2);
  });

  it('writes undeliverable lines to the dead-letter file and exits 3', async () => {
    const deadLetter = join(dir, 'dead.ndjson');
    const { code, stdout } = await run(
      [
        'ship',
        '--type',
        'ocsp',
        '--stream',
        'logvault-missing-ocsp-1',
        '--dead-letter',
        deadLetter,
      ],
      lines(20).join('\n'),
    ).done;
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ deadLettered: 20, deadLetterFile: deadLetter });
    expect(readFileSync(deadLetter, 'utf8').trim().split('\n')).toHaveLength(20);
  });

  it('on SIGTERM stops reading, sends what it holds and exits with the outcome', async () => {
    const before = (await box.readLines()).length;
    // Held back for a minute unless the signal flushes them.
    const { child, done } = run([
      'ship',
      '--type',
      'ocsp',
      '--stream',
      box.stream,
      '--max-delay-ms',
      '60000',
    ]);
    // The lines (~300 KB) outgrow the pipe's 64 KiB buffer, so the write's
    // callback fires only once the child is reading, i.e. after its signal
    // handlers are in place; the pause lets it read the rest of the pipe.
    const input = lines(1000, 9).join('\n') + '\n';
    expect(Buffer.byteLength(input)).toBeGreaterThan(4 * 65_536);
    await new Promise((r) => child.stdin!.write(input, r));
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGTERM');
    const { code, stdout } = await done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ delivered: 1000, interrupted: 'SIGTERM' });
    expect((await box.readLines()).length - before).toBe(1000);
  });
});
