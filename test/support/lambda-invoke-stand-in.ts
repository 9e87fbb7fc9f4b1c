import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { CfnTemplate } from '../../core/audit/inventory';

/**
 * A local stand-in for the Lambda `Invoke` API (RequestResponse on $LATEST),
 * so code that calls deployed functions can be tested end to end: moto keeps
 * functions but cannot run them without docker. Point the SDK at `endpoint`
 * with AWS_ENDPOINT_URL_LAMBDA.
 *
 * Each function runs in its own warm child process, as in a Lambda execution
 * environment: its own environment variables and module state (the shared
 * logger reads POWERTOOLS_SERVICE_NAME when first loaded), its handler
 * imported once and given one event at a time. Timeouts are not enforced;
 * the handler only sees them through `getRemainingTimeInMillis()`.
 */
export interface StandInFunction {
  /** FunctionName as callers pass it; ARNs and qualifiers are not resolved. */
  readonly name: string;
  /** Absolute path of the module exporting `handler`. */
  readonly entry: string;
  /** The function configuration's environment variables. */
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
}

export interface LambdaInvokeStandIn {
  /** Base URL for AWS_ENDPOINT_URL_LAMBDA. */
  readonly endpoint: string;
  /** FunctionName of every Invoke request received, in order, unknown names included. */
  readonly invoked: string[];
  /** Creates or replaces a function; a replaced one starts cold with its new configuration. */
  deploy(fn: StandInFunction): void;
  /** Deletes a function: invoking it answers 404 ResourceNotFoundException. */
  remove(name: string): void;
  /** What the function wrote to stdout and stderr: its log group. */
  log(name: string): string;
  close(): Promise<void>;
}

/** One invocation, parent to child. */
interface InvokeMessage {
  readonly requestId: string;
  readonly event: unknown;
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
}

/** The child's answer: the JSON result, or the error document the Node.js runtime would write. */
type ResultMessage =
  | { readonly requestId: string; readonly payload: string }
  | { readonly requestId: string; readonly error: FunctionErrorDocument };

interface FunctionErrorDocument {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
}

/** Same loader as bin/logvault, so the child runs the handler's TypeScript source. */
const TSX_LOADER = join(__dirname, '../../node_modules/tsx/dist/loader.mjs');
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * The functions of a synthesized stack whose names match `pattern`, with the
 * timeout, memory and environment variables the template gives them. The
 * pattern's first group is the handler's directory: LoggedFunction keeps the
 * handler of `logvault-<stage>-<name>` in `lambdas/<name>/index.ts`. Each
 * variable takes its value from `resolved` (for what the template computes:
 * imports, attributes; or a stand-in's override) or else the template's
 * literal; one that is neither throws, so a variable added to the stack
 * cannot go unnoticed here.
 */
export function functionsFromTemplate(
  template: CfnTemplate,
  pattern: RegExp,
  resolved: Record<string, string>,
): StandInFunction[] {
  const functions: StandInFunction[] = [];
  for (const resource of Object.values(template.Resources ?? {})) {
    const props = (resource.Properties ?? {}) as {
      FunctionName?: unknown;
      Timeout: number;
      MemorySize: number;
      Environment?: { Variables?: Record<string, unknown> };
    };
    const name = props.FunctionName;
    if (resource.Type !== 'AWS::Lambda::Function' || typeof name !== 'string') continue;
    const handlerDir = pattern.exec(name)?.[1];
    if (!handlerDir) continue;
    const environment: Record<string, string> = {};
    const missing: string[] = [];
    for (const [key, value] of Object.entries(props.Environment?.Variables ?? {})) {
      const given = resolved[key] ?? value;
      if (typeof given === 'string') environment[key] = given;
      else missing.push(key);
    }
    if (missing.length > 0) throw new Error(`${name}: no stand-in value for ${missing.join(', ')}`);
    functions.push({
      name,
      entry: join(__dirname, '../../lambdas', handlerDir, 'index.ts'),
      environment,
      timeoutSeconds: props.Timeout,
      memorySize: props.MemorySize,
    });
  }
  return functions;
}

/**
 * What every function gets from the runtime here: the connection settings
 * `scripts/standins.sh env` exports stand in for the regional endpoints and
 * the execution role's credentials, as they were when the stand-in started
 * (a test may change its own environment later to run a caller in it).
 * Nothing else of the test's environment leaks in.
 */
const STAND_IN_CONNECTION = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'TRINO_URL',
  'LOGVAULT_S3_CONTROL_ENDPOINT',
];

function connectionSettings(): NodeJS.ProcessEnv {
  const set = STAND_IN_CONNECTION.filter((k) => process.env[k] !== undefined);
  return Object.fromEntries(set.map((k) => [k, process.env[k]]));
}

function runtimeEnvironment(
  fn: StandInFunction,
  region: string,
  connection: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  return {
    ...connection,
    ...fn.environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    TZ: 'UTC',
    // The Lambda runtime is Node.js 24: the SDK's warning about older Node.js does not apply.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** A warm child process running one function's handler, one event at a time. */
class ExecutionEnvironment {
  private readonly child: ChildProcess;
  private queue: Promise<unknown> = Promise.resolve();
  private pending?: { readonly requestId: string; resolve(answer: ResultMessage): void };

  constructor(fn: StandInFunction, env: NodeJS.ProcessEnv, onLog: (chunk: string) => void) {
    this.child = fork(__filename, [fn.entry], {
      execArgv: ['--import', TSX_LOADER],
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout!.on('data', (d) => onLog(String(d)));
    this.child.stderr!.on('data', (d) => onLog(String(d)));
    this.child.on('message', (answer: ResultMessage) => this.settle(answer));
    // A crash mid-invocation is answered the way the runtime reports it.
    this.child.on('exit', (code, signal) => {
      const requestId = this.pending?.requestId ?? '';
      this.settle({
        requestId,
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${signal ?? `exit status ${code}`}`,
          trace: [],
        },
      });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  invoke(message: InvokeMessage): Promise<ResultMessage> {
    const run = this.queue.then(
      () =>
        new Promise<ResultMessage>((resolve) => {
          this.pending = { requestId: message.requestId, resolve };
          this.child.send(message);
        }),
    );
    this.queue = run;
    return run;
  }

  stop(): void {
    this.child.kill();
  }

  private settle(answer: ResultMessage): void {
    if (answer.requestId !== this.pending?.requestId) return;
    this.pending.resolve(answer);
    this.pending = undefined;
  }
}

/** A Lambda API error as the service sends it: x-amzn-ErrorType header, `{Type, Message}` body. */
function apiError(res: ServerResponse, status: number, errorType: string, message: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'x-amzn-ErrorType': errorType,
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(JSON.stringify({ Type: 'User', Message: message }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

export interface StandInOptions {
  readonly region: string;
  /** The account in function ARNs (and so in ResourceNotFoundException messages). */
  readonly accountId: string;
  readonly functions: StandInFunction[];
}

/** Starts the stand-in on a free loopback port; functions start cold on their first invocation. */
export async function startLambdaInvokeStandIn(
  options: StandInOptions,
): Promise<LambdaInvokeStandIn> {
  const { region, accountId } = options;
  const functions = new Map(options.functions.map((fn) => [fn.name, fn]));
  const environments = new Map<string, ExecutionEnvironment>();
  const logs = new Map<string, string>();
  const invoked: string[] = [];
  const connection = connectionSettings();
  const arn = (name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;

  const environmentOf = (fn: StandInFunction) => {
    let environment = environments.get(fn.name);
    if (!environment?.alive) {
      const env = runtimeEnvironment(fn, region, connection);
      environment = new ExecutionEnvironment(fn, env, (chunk) =>
        logs.set(fn.name, (logs.get(fn.name) ?? '') + chunk),
      );
      environments.set(fn.name, environment);
    }
    return environment;
  };
  const stopEnvironment = (name: string) => {
    environments.get(name)?.stop();
    environments.delete(name);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const match = req.method === 'POST' ? INVOKE_PATH.exec(path) : null;
    if (!match)
      return apiError(res, 404, 'UnknownOperationException', `${req.method} ${path} is not Invoke`);
    const name = decodeURIComponent(match[1]!);
    invoked.push(name);
    const body = await readBody(req);
    const fn = functions.get(name);
    if (!fn)
      return apiError(res, 404, 'ResourceNotFoundException', `Function not found: ${arn(name)}`);
    const invocationType = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (invocationType !== 'RequestResponse')
      return apiError(
        res,
        400,
        'InvalidParameterValueException',
        `the stand-in answers RequestResponse invocations only, not ${invocationType}`,
      );
    let event: unknown;
    try {
      event = body === '' ? {} : JSON.parse(body);
    } catch (error) {
      return apiError(
        res,
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
    const requestId = randomUUID();
    const answer = await environmentOf(fn).invoke({
      requestId,
      event,
      deadlineMs: Date.now() + fn.timeoutSeconds * 1000,
      invokedFunctionArn: arn(name),
    });
    const headers = {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
      'x-amzn-RequestId': requestId,
    };
    if ('error' in answer) {
      res.writeHead(200, { ...headers, 'X-Amz-Function-Error': 'Unhandled' });
      res.end(JSON.stringify(answer.error));
    } else {
      res.writeHead(200, headers);
      res.end(answer.payload);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => apiError(res, 500, 'ServiceException', error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invoked,
    deploy(fn) {
      stopEnvironment(fn.name);
      functions.set(fn.name, fn);
    },
    remove(name) {
      stopEnvironment(name);
      functions.delete(name);
    },
    log: (name) => logs.get(name) ?? '',
    async close() {
      for (const name of [...environments.keys()]) stopEnvironment(name);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The error document the Node.js runtime writes for an exception a handler lets escape. */
function errorDocument(error: unknown): FunctionErrorDocument {
  if (!(error instanceof Error))
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  return {
    errorType: error.name,
    errorMessage: error.message,
    trace: (error.stack ?? '').split('\n'),
  };
}

/**
 * Child side: import the handler once (the init phase), then run each event
 * the parent sends with a Lambda context whose remaining time counts down to
 * the function's timeout.
 */
function runFunction(entry: string): void {
  type Handler = (event: unknown, context: Context) => Promise<unknown>;
  const handler = import(entry).then((m: { handler: Handler }) => m.handler);
  const unsupported = () => {
    throw new Error('callback-style completion is not supported by the stand-in');
  };
  const invoke = async (m: InvokeMessage): Promise<ResultMessage> => {
    const name = process.env.AWS_LAMBDA_FUNCTION_NAME!;
    const context: Context = {
      awsRequestId: m.requestId,
      functionName: name,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION!,
      invokedFunctionArn: m.invokedFunctionArn,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE!,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `stand-in/[$LATEST]${process.pid}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, m.deadlineMs - Date.now()),
      done: unsupported,
      fail: unsupported,
      succeed: unsupported,
    };
    try {
      const result = await (await handler)(m.event, context);
      return { requestId: m.requestId, payload: JSON.stringify(result ?? null) };
    } catch (error) {
      return { requestId: m.requestId, error: errorDocument(error) };
    }
  };
  process.on(
    'message',
    (m: InvokeMessage) => void invoke(m).then((answer) => process.send!(answer)),
  );
  // An orphaned environment must not outlive the stand-in.
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) runFunction(process.argv[2]!);
