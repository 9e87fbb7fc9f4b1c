import { createServer, request, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { seededRandom } from '../../core/traffic';

/**
 * A real HTTP proxy on loopback in front of the moto stand-in that makes
 * Firehose misbehave the way the real service can. Point a client at it with
 * `endpoint: proxy.url`. Only PutRecordBatch calls are faulted; everything
 * else passes through untouched.
 */
export interface FaultRates {
  /** Whole call refused: ServiceUnavailableException (HTTP 500) or ThrottlingException (400). */
  readonly throttle?: number;
  /** Call succeeds with FailedPutCount > 0: a random subset is failed and NOT forwarded. */
  readonly partial?: number;
  /** 502/503 from an intermediary, with an HTML body. */
  readonly serverError?: number;
  /** Connection dropped before the call reaches moto (nothing delivered). */
  readonly dropBefore?: number;
  /** Connection dropped after moto stored the data (delivered, but the client cannot know). */
  readonly dropAfter?: number;
}

export interface ProxyOptions {
  /** Extra latency before every PutRecordBatch call is handled, ms: a slow service. */
  readonly delayMs?: number;
  /** Seed of the fault sequence, so a failing run can be replayed. */
  readonly seed?: number;
}

export type FaultKind = keyof FaultRates;

export interface FaultProxy {
  readonly url: string;
  /** How many times each fault was injected, and how many calls passed clean. */
  readonly injected: Record<FaultKind | 'clean', number>;
  close(): Promise<void>;
}

const TARGET_PUT_BATCH = 'Firehose_20150804.PutRecordBatch';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
    const out = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            headers: Object.fromEntries(
              Object.entries(res.headers).filter(
                (e): e is [string, string] => typeof e[1] === 'string',
              ),
            ),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

function reply(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string,
) {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const rest = Object.fromEntries(
    Object.entries(headers).filter(([k]) => k !== 'transfer-encoding' && k !== 'content-length'),
  );
  res.writeHead(status, { ...rest, 'content-length': String(data.length) });
  res.end(data);
}

const awsError = (type: string, message: string) => JSON.stringify({ __type: type, message });

/** Starts the proxy in front of `upstreamUrl` (moto). */
export async function startFaultProxy(
  upstreamUrl: string,
  rates: FaultRates,
  options: ProxyOptions = {},
): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const random = seededRandom(options.seed ?? 1);
  const injected: FaultProxy['injected'] = {
    throttle: 0,
    partial: 0,
    serverError: 0,
    dropBefore: 0,
    dropAfter: 0,
    clean: 0,
  };
  const kinds = Object.keys(injected).filter((k) => k !== 'clean') as FaultKind[];
  const choose = (): FaultKind | 'clean' => {
    let r = random();
    for (const kind of kinds) {
      r -= rates[kind] ?? 0;
      if (r < 0) return kind;
    }
    return 'clean';
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (req.headers['x-amz-target'] !== TARGET_PUT_BATCH) {
        const r = await forward(upstream, req, body);
        return reply(res, r.status, r.headers, r.body);
      }
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const fault = choose();
      injected[fault]++;
      const json = { 'content-type': 'application/x-amz-json-1.1' };
      switch (fault) {
        case 'throttle':
          return random() < 0.5
            ? reply(res, 500, json, awsError('ServiceUnavailableException', 'Slow down.'))
            : reply(res, 400, json, awsError('ThrottlingException', 'Rate exceeded'));
        case 'serverError':
          return reply(
            res,
            random() < 0.5 ? 502 : 503,
            { 'content-type': 'text/html' },
            '<html><body>Bad Gateway</body></html>',
          );
        case 'dropBefore':
          return req.socket.destroy();
        case 'dropAfter':
          await forward(upstream, req, body);
          return req.socket.destroy();
        case 'partial': {
          const call = JSON.parse(body.toString()) as {
            DeliveryStreamName: string;
            Records: unknown[];
          };
          const failed = call.Records.map(() => random() < 0.5);
          if (failed.every((f) => !f)) failed[Math.floor(random() * failed.length)] = true;
          const kept = call.Records.filter((_, i) => !failed[i]);
          let ids: { RecordId?: string }[] = [];
          if (kept.length > 0) {
            const r = await forward(
              upstream,
              req,
              Buffer.from(JSON.stringify({ ...call, Records: kept })),
            );
            if (r.status !== 200) return reply(res, r.status, r.headers, r.body);
            ids = (JSON.parse(r.body.toString()) as { RequestResponses: { RecordId?: string }[] })
              .RequestResponses;
          }
          let next = 0;
          const responses = failed.map((f) =>
            f
              ? {
                  ErrorCode: random() < 0.5 ? 'ServiceUnavailableException' : 'InternalFailure',
                  ErrorMessage: 'injected by the fault proxy',
                }
              : ids[next++],
          );
          return reply(
            res,
            200,
            json,
            JSON.stringify({
              FailedPutCount: failed.filter(Boolean).length,
              Encrypted: false,
              RequestResponses: responses,
            }),
          );
        }
        case 'clean': {
          const r = await forward(upstream, req, body);
          return reply(res, r.status, r.headers, r.body);
        }
      }
    } catch (error) {
      reply(res, 502, {}, String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
