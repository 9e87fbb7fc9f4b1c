/**
 * Runs a Step Functions definition locally, state by state, as Step
 * Functions would: Task, Wait, Choice, Succeed, Fail; Parameters with `.$`
 * paths, ResultSelector, ResultPath, OutputPath; Retry with backoff. moto's
 * Step Functions stores a definition but runs no Lambda or Athena task, so the
 * daily job's definition runs here, its tasks answered by `tasks` (the job's
 * phases in-process, Athena's state from AthenaOverTrino). Waits are scaled
 * by `secondMs` so a test does not sleep for real. TimeoutSeconds is not
 * enforced locally.
 */

type Json = unknown;
interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, Json>;
  readonly ResultSelector?: Record<string, Json>;
  readonly ResultPath?: string;
  readonly OutputPath?: string;
  readonly Seconds?: number;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: {
    Variable: string;
    StringEquals?: string;
    BooleanEquals?: boolean;
    Next: string;
  }[];
  readonly Retry?: {
    ErrorEquals: string[];
    IntervalSeconds?: number;
    MaxAttempts?: number;
    BackoffRate?: number;
  }[];
}
export interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

export interface DriverOptions {
  /** Answers a Task by its Resource, with the resolved Parameters. */
  readonly tasks: Record<string, (parameters: Json) => Promise<Json>>;
  /** Milliseconds a second of Wait or retry interval lasts here. @default 1 */
  readonly secondMs?: number;
  /** Stops a definition that loops for ever. @default 10_000 */
  readonly maxTransitions?: number;
}

export interface Execution {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: Json;
  readonly error?: Error;
  /** Every state entered, in order. */
  readonly history: string[];
}

const path = (doc: Json, p: string): Json =>
  p === '$'
    ? doc
    : p
        .slice(2)
        .split('.')
        .reduce<Json>((at, key) => (at as Record<string, Json> | undefined)?.[key], doc);

function resolveParameters(template: Json, input: Json): Json {
  if (Array.isArray(template)) return template.map((t) => resolveParameters(t, input));
  if (typeof template !== 'object' || template === null) return template;
  return Object.fromEntries(
    Object.entries(template).map(([k, v]) =>
      k.endsWith('.$')
        ? [k.slice(0, -2), path(input, v as string)]
        : [k, resolveParameters(v, input)],
    ),
  );
}

function withResult(input: Json, resultPath: string | undefined, result: Json): Json {
  if (resultPath === undefined || resultPath === '$') return result;
  const keys = resultPath.slice(2).split('.');
  const copy = structuredClone(input) as Record<string, Json>;
  let at = copy;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, Json>;
  at[keys.at(-1)!] = result;
  return copy;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runTask(state: State, input: Json, options: DriverOptions): Promise<Json> {
  const task = options.tasks[state.Resource!];
  if (task === undefined) throw new Error(`no local task for ${state.Resource}`);
  const parameters = resolveParameters(state.Parameters ?? {}, input);
  for (let attempt = 0; ; attempt++) {
    try {
      let result = await task(parameters);
      if (state.ResultSelector) result = resolveParameters(state.ResultSelector, result);
      const output = withResult(input, state.ResultPath, result);
      return state.OutputPath ? path(output, state.OutputPath) : output;
    } catch (error) {
      const name = (error as Error).name;
      const rule = state.Retry?.find((r) =>
        r.ErrorEquals.some((e) => e === name || e === 'States.ALL'),
      );
      if (rule === undefined || attempt >= (rule.MaxAttempts ?? 3)) throw error;
      const seconds = (rule.IntervalSeconds ?? 1) * (rule.BackoffRate ?? 2) ** attempt;
      await sleep(seconds * (options.secondMs ?? 1));
    }
  }
}

function choose(state: State, input: Json): string {
  const match = state.Choices!.find((c) => {
    const value = path(input, c.Variable);
    if (c.StringEquals !== undefined) return value === c.StringEquals;
    if (c.BooleanEquals !== undefined) return value === c.BooleanEquals;
    throw new Error(`unsupported Choice rule ${JSON.stringify(c)}`);
  });
  if (match) return match.Next;
  if (state.Default === undefined) throw new Error('no Choice matched and no Default');
  return state.Default;
}

export async function runDefinition(
  definition: Definition,
  input: Json,
  options: DriverOptions,
): Promise<Execution> {
  const history: string[] = [];
  let name = definition.StartAt;
  let data = input;
  try {
    for (let n = 0; n < (options.maxTransitions ?? 10_000); n++) {
      const state = definition.States[name];
      if (state === undefined) throw new Error(`no state ${name}`);
      history.push(name);
      if (state.Type === 'Task') data = await runTask(state, data, options);
      else if (state.Type === 'Wait') await sleep((state.Seconds ?? 0) * (options.secondMs ?? 1));
      else if (state.Type === 'Choice') {
        name = choose(state, data);
        continue;
      } else if (state.Type === 'Succeed') return { status: 'SUCCEEDED', output: data, history };
      else if (state.Type === 'Fail') throw new Error(`state ${name} failed`);
      else throw new Error(`unsupported state type ${state.Type}`);
      if (state.End) return { status: 'SUCCEEDED', output: data, history };
      name = state.Next!;
    }
    throw new Error('too many transitions');
  } catch (error) {
    return { status: 'FAILED', error: error as Error, history };
  }
}
