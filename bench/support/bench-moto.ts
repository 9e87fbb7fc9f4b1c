import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A bench's own moto processes, started from bench/support/moto_server_for_benches.py
 * (`.venv`, as scripts/standins.sh builds it), so no other work shares their
 * cores' queue and the bench can read their CPU time.
 */
export interface BenchMoto {
  readonly endpoint: string;
  readonly pid: number;
}

const SCRIPT = 'bench/support/moto_server_for_benches.py';

/** A port free now on 127.0.0.1 (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilServing(endpoint: string, child: ChildProcess): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 250) {
    if (child.exitCode !== null) throw new Error(`${SCRIPT} exited with ${child.exitCode}`);
    const up = await fetch(`${endpoint}/moto-api/`).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${SCRIPT} at ${endpoint} did not answer in 60 s`);
}

/** Starts `count` bench motos; `stop()` ends exactly those processes. */
export async function startBenchMotos(
  count: number,
): Promise<{ motos: BenchMoto[]; stop: () => void }> {
  const python = '.venv/bin/python';
  if (!existsSync(python))
    throw new Error(
      `${python} is missing: run \`bash scripts/standins.sh start\` once to build it`,
    );
  const children: ChildProcess[] = [];
  // SIGKILL: a moto with requests in flight from a killed bench ignored SIGTERM; it holds nothing to save.
  const stop = () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
  // An interrupted bench (Ctrl-C, kill) takes its motos with it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      stop();
      process.exit(1);
    });
  try {
    const motos: BenchMoto[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const child = spawn(python, [SCRIPT, '-H', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      });
      children.push(child);
      const endpoint = `http://127.0.0.1:${port}`;
      await waitUntilServing(endpoint, child);
      motos.push({ endpoint, pid: child.pid! });
    }
    return { motos, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

/** CPU seconds (user + system) a process has used, from /proc; undefined where there is none. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Writes one `body` object per key into `bucket` through the bench moto's
 * seeding path (its S3 backend directly, no HTTP request per object);
 * version ids in key order. Setup, not what a bench measures.
 */
export async function seedObjects(
  endpoint: string,
  account: string,
  bucket: string,
  keys: readonly string[],
  body: string,
): Promise<string[]> {
  const versions: string[] = [];
  for (let i = 0; i < keys.length; i += 10_000) {
    const response = await fetch(`${endpoint}/_bench/seed-objects`, {
      method: 'POST',
      body: JSON.stringify({ account, bucket, keys: keys.slice(i, i + 10_000), body }),
    });
    const answer = (await response.json()) as { versions?: string[]; error?: string };
    if (!response.ok || !answer.versions)
      throw new Error(`seeding ${bucket} at ${endpoint}: ${answer.error ?? response.status}`);
    versions.push(...answer.versions);
  }
  return versions;
}
