import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mapBounded } from '../../core/pool';
import { HoldFixture, loadHoldFixture } from '../holds/hold-fixture';

/**
 * `logvault hold list | head`: the reader closes the pipe after its first
 * bytes while the CLI still writes. The real CLI process, a real pipe: the
 * rest of the output is dropped quietly, no EPIPE stack trace, exit 0.
 */
describe('logvault hold output piped into a reader that stops early', () => {
  const root = join(__dirname, '../..');
  let f: HoldFixture;

  /** Runs the CLI, closes its stdout after the first chunk, and collects stderr and the exit code. */
  const runAndCloseEarly = (...args: string[]) =>
    new Promise<{ code: number | null; stderr: string; firstChunk: string }>((resolve) => {
      const child = spawn(join(root, 'bin/logvault'), ['hold', ...args, '--local'], {
        cwd: root,
        env: { ...process.env, LOGVAULT_ACCOUNT: f.accountId },
      });
      let stderr = '';
      let firstChunk = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', (d) => {
        firstChunk = String(d);
        child.stdout.destroy();
      });
      child.on('close', (code) => resolve({ code, stderr, firstChunk }));
    });

  // Enough cases that `list` writes far more than a pipe buffer (64 KiB) holds.
  beforeAll(async () => {
    f = await loadHoldFixture();
    const ids = Array.from({ length: 600 }, (_, i) => `PIPE-${i}`);
    await mapBounded(ids, 16, (caseId) =>
      f.deps.registry.createCase({
        caseId,
        dataset: 'acme',
        scope: { from: '2026-11-19T10:00:00.000Z', to: '2026-11-19T11:00:00.000Z', filters: {} },
        reason: `subpoena ${'x'.repeat(400)}`,
        ticket: 'LEGAL-1',
        requester: 'oncall@example.com',
        status: 'active',
        createdAt: '2026-11-19T12:00:00.000Z',
        objectCount: 1,
        bytes: 1,
        fingerprint: caseId,
      }),
    );
  }, 240_000);

  it.each(['list --json', 'list'])(
    'hold %s | head: quiet, exit 0',
    async (args) => {
      const { code, stderr, firstChunk } = await runAndCloseEarly(...args.split(' '));
      expect(firstChunk.length).toBeGreaterThan(0);
      expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\(node:/);
      expect(code).toBe(0);
    },
    120_000,
  );
});
