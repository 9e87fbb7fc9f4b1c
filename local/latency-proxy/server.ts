import { randomBytes } from 'node:crypto';
import {
  Agent,
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  request as httpRequest,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Classified, classify, PrefixDepth } from './classify';
import { awsProfile, LatencyProfile, latencyOf } from './profiles';
import { RateLimiter } from './rate-limiter';
import { ProxyStats, StatsRecorder } from './stats';

/**
 * An HTTP proxy in front of a stand-in (moto) that makes it answer like AWS
 * does: no request completes sooner than the profile's latency for its
 * operation (the stand-in's own time counts towards it), and S3 requests
 * beyond a prefix's rate are answered `503 SlowDown`. Requests run
 * concurrently, bodies stream both ways, connections are kept alive on both
 * sides, and headers pass unchanged, Host included, so SigV4 signatures made
 * for the proxy's address still verify at the stand-in.
 */

export interface LatencyProxyOptions {
  /** Base URL of the stand-in, e.g. `http://127.0.0.1:4566`. */
  readonly target: string;
  /** What to model. @default awsProfile */
  readonly profile?: LatencyProfile;
  /** Interface to listen on; loopback, as the stand-ins have no authentication. @default '127.0.0.1' */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** How S3 requests are grouped into rate-limited prefixes. @default 'dir' */
  readonly s3PrefixDepth?: PrefixDepth;
  /** Most connections open to the stand-in at once. @default 256 */
  readonly maxSockets?: number;
}

export interface LatencyProxy {
  /** `http://host:port`: give it to clients as their endpoint. */
  readonly url: string;
  readonly profile: LatencyProfile;
  stats(): ProxyStats;
  resetStats(): void;
  close(): Promise<void>;
}

/** Requests under this path are the proxy's own: S3 bucket names cannot contain `_`. */
export const CONTROL_PATH = '/__latency-proxy/';
const FORM_BUFFER_LIMIT = 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te']);

const without = (headers: IncomingHttpHeaders, drop: Set<string>): OutgoingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !drop.has(k)));

// The proxy answered `100 Continue` itself; the stand-in gets the body at once.
const REQUEST_DROP = new Set([...HOP_BY_HOP, 'expect']);
// Node chooses the response framing again (chunked when there is no length).
const RESPONSE_DROP = new Set([...HOP_BY_HOP, 'transfer-encoding']);

async function formBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const type = String(req.headers['content-type'] ?? '');
  const length = Number(req.headers['content-length'] ?? NaN);
  if (!type.startsWith('application/x-www-form-urlencoded') || !(length <= FORM_BUFFER_LIMIT))
    return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function slowDown(res: ServerResponse, head: boolean): void {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>' +
    `<Message>Please reduce your request rate.</Message><RequestId>${requestId}</RequestId>` +
    `<HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
  res.writeHead(503, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  res.end(head ? undefined : body);
}

function control(req: IncomingMessage, res: ServerResponse, recorder: StatsRecorder): void {
  const action = req.url!.slice(CONTROL_PATH.length).split('?')[0];
  if (action === 'reset' && req.method === 'POST') recorder.reset();
  else if (action !== 'stats') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`unknown control request; use GET ${CONTROL_PATH}stats or POST ${CONTROL_PATH}reset`);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(recorder.snapshot()));
}

/** What forwarding one request needs besides the request itself. */
interface Forwarding {
  readonly target: URL;
  readonly agent: Agent;
  readonly deadline: number;
  readonly body?: Buffer;
}

/** Sends the request on, and its answer back no sooner than the deadline; resolves when the response is over. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  f: Forwarding,
): Promise<{ upstreamMs: number; upstreamError: boolean }> {
  const sent = performance.now();
  const outcome = { upstreamMs: 0, upstreamError: true };
  return new Promise((resolve) => {
    const upstream = httpRequest(
      {
        host: f.target.hostname,
        port: f.target.port,
        method: req.method,
        path: req.url,
        headers: without(req.headers, REQUEST_DROP),
        agent: f.agent,
      },
      (answer) => {
        const status = answer.statusCode ?? 502;
        outcome.upstreamMs = performance.now() - sent;
        outcome.upstreamError = status >= 500;
        void sleep(Math.max(0, f.deadline - performance.now())).then(() => {
          res.writeHead(status, answer.statusMessage, without(answer.headers, RESPONSE_DROP));
          answer.pipe(res);
        });
      },
    );
    upstream.on('error', (error) => {
      outcome.upstreamMs = performance.now() - sent;
      outcome.upstreamError = true;
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`latency proxy: the stand-in did not answer: ${error.message}`);
    });
    // Finished, or the client went away: either way the exchange is over.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      resolve(outcome);
    });
    if (f.body) upstream.end(f.body);
    else req.pipe(upstream);
  });
}

/** Starts the proxy; resolves once it is listening. */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:')
    throw new Error(`target must be an http:// URL of a local stand-in, not ${options.target}`);
  const profile = options.profile ?? awsProfile;
  const depth = options.s3PrefixDepth ?? 'dir';
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
  const limiters = {
    write: new RateLimiter(profile.s3RatePerPrefix.write),
    read: new RateLimiter(profile.s3RatePerPrefix.read),
  };
  const recorder = new StatsRecorder();
  const admitted = (c: Classified, now: number) =>
    !c.s3 || limiters[c.s3.rateClass].admit(`${c.s3.bucket}/${c.s3.prefix}`, now);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const arrived = performance.now();
    if (req.url!.startsWith(CONTROL_PATH)) return control(req, res, recorder);
    recorder.started();
    const body = await formBody(req).catch(() => undefined);
    const c = classify(
      { method: req.method!, url: req.url!, headers: req.headers },
      depth,
      body?.toString('utf-8'),
    );
    const operation = `${c.service}:${c.operation}`;
    const deadline = arrived + latencyOf(profile, c.service, c.operation);
    if (!admitted(c, arrived)) {
      req.resume();
      await sleep(Math.max(0, deadline - performance.now()));
      slowDown(res, req.method === 'HEAD');
      return recorder.finished(operation, { slowDown: true });
    }
    recorder.finished(operation, await forward(req, res, { target, agent, deadline, body }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug here must cost one request, never the proxy every bench depends on.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`latency proxy: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  // Longer than the SDK's idle sockets live, so a reused connection is never closed under it.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    profile,
    stats: () => recorder.snapshot(),
    resetStats: () => recorder.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        agent.destroy();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
