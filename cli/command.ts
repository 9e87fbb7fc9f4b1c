/** Exit codes shared by every command (docs/cli.md). */
export const ExitCode = {
  ok: 0,
  /** The command ran and found or left something wrong (findings, rejects, dead letters). */
  findings: 1,
  /** The command line or its input was invalid; nothing was done. */
  usage: 2,
  /** An AWS call or the environment failed; see the message. */
  failure: 3,
} as const;

/** Thrown for bad command lines; printed with the command's usage. */
export class UsageError extends Error {}

export interface Command {
  readonly name: string;
  /** One line for `logvault --help`. */
  readonly summary: string;
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

/** Options that take a value, by name (`parseArgs` options). */
export function textOptions<N extends string>(...names: N[]): Record<N, { type: 'string' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as Record<
    N,
    { type: 'string' }
  >;
}

/** `--stage NAME`, dev unless given. */
export const stageOption = { stage: { type: 'string', default: 'dev' } } as const;

/** `work`'s result; an error it throws is bad input, reported with the usage (exit 2). */
export function asUsage<T>(
  work: () => T,
  isInputError: (error: unknown) => boolean = () => true,
): T {
  try {
    return work();
  } catch (error) {
    if (isInputError(error)) throw new UsageError((error as Error).message);
    throw error;
  }
}
