import { spawn } from 'node:child_process';

/**
 * Runs the machine's `openssl`; resolves its stdout, rejects with its stderr.
 * Inputs and outputs go through files: stdin is closed, so openssl exiting
 * early can never fail a write to it (EPIPE) instead of reporting its error.
 */
export function openssl(args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(
            new Error(`openssl ${args[0]} exited ${code}: ${Buffer.concat(err).toString().trim()}`),
          ),
    );
  });
}
