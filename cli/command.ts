import { ParseArgsConfig, parseArgs } from 'node:util';
import { printable } from '../core/format/printable';

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

/** A subcommand's behaviour; its name and summary are in cli/commands/index.ts. */
export interface Command {
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

/**
 * `parseArgs` (strict) for a command line: an option given twice that takes
 * one value is refused instead of silently keeping the last one, and every
 * refusal is a UsageError naming the option and the fix. `hint` adds a
 * command's own advice for an unknown option (e.g. `query`'s `--param`).
 */
export function parseCommandLine<T extends Omit<ParseArgsConfig, 'tokens' | 'strict'>>(
  config: T,
  hint: (option: string) => string | undefined = () => undefined,
): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  let tokens: { kind: string; name?: string }[];
  try {
    parsed = parseArgs(config);
    tokens = parseArgs({ ...config, tokens: true } as ParseArgsConfig).tokens ?? [];
  } catch (error) {
    throw new UsageError(commandLineError(error, config.options ?? {}, hint));
  }
  const seen = new Set<string>();
  for (const { kind, name } of tokens) {
    if (kind !== 'option' || name === undefined) continue;
    if (seen.has(name) && !config.options?.[name]?.multiple)
      throw new UsageError(`--${name} is given more than once; give it once`);
    seen.add(name);
  }
  return parsed;
}

/**
 * A message for one of parseArgs' errors that names what exists: Node's own
 * says `Unknown option '--x'` and nothing of what the command takes. Used by
 * `main` for commands that call parseArgs themselves.
 */
export function commandLineError(
  error: unknown,
  options: NonNullable<ParseArgsConfig['options']>,
  hint: (option: string) => string | undefined = () => undefined,
): string {
  const { code, message } = error as { code?: string; message: string };
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return printable(message);
  const option = /'([^']*)'/.exec(message)?.[1] ?? '';
  const known = Object.keys(options).map((name) => `--${name}`);
  return (
    `unknown option ${printable(option)}; ` +
    (hint(option.replace(/^-+/, '').split('=')[0]!) ??
      `this command takes ${known.join(', ') || 'no options'}`)
  );
}
