import { format } from 'node:util';
import { main } from '../../cli/main';

/** What one `logvault` run printed and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `logvault <argv>` through the CLI's own entry (`main`, what
 * bin/logvault calls) in this process, its output captured instead of
 * printed. A spawned `bin/logvault` costs 0.4-0.5 s of CPU to start on a fast
 * 2-core machine, several times that on a slow one (node, tsx, the command's
 * SDK clients); a file that runs the CLI a dozen times keeps one
 * spawned run to prove the binary and calls the rest here. Only console
 * output is captured (what `ship` prints); a command that writes to
 * process.stdout directly still needs a spawned run, and jest's own
 * reporter writes there. `env` is set for the run's duration, as a spawned
 * run's environment would be, and restored after it.
 */
export async function logvault(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const line =
    (to: string[]) =>
    (...args: unknown[]) =>
      void to.push(`${format(...args)}\n`);
  const spies = [
    jest.spyOn(console, 'log').mockImplementation(line(out)),
    jest.spyOn(console, 'error').mockImplementation(line(err)),
    jest.spyOn(console, 'warn').mockImplementation(line(err)),
  ];
  const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, env);
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
    for (const [name, value] of saved)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
}
