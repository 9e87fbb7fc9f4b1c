import { spawn } from 'node:child_process';

/** Runs the machine's `openssl` with `input` on stdin; resolves stdout, rejects with stderr. */
export function openssl(args: readonly string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
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
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}
