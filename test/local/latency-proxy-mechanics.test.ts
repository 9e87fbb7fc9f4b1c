import { Agent, createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { LatencyProfile, noneProfile } from '../../local/latency-proxy/profiles';
import { LatencyProxy, startLatencyProxy } from '../../local/latency-proxy/server';

/**
 * How the proxy forwards, against a plain HTTP server standing in for the
 * stand-in, so each property is observed on the far side of the proxy: what
 * arrived, when, on which connection. Timing assertions are lower bounds
 * only, or orderings, so a loaded machine cannot fail them.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Upstream {
  readonly url: string;
  readonly connections: number;
  readonly received: {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    at: number;
  }[];
  handler: Handler;
  close(): Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  let connections = 0;
  const received: Upstream['received'] = [];
  const upstream = {
    handler: ((_req, res) => res.end('ok')) as Handler,
    received,
    get connections() {
      return connections;
    },
  } as Upstream;
  const server: Server = createServer((req, res) => {
    received.push({
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      at: performance.now(),
    });
    upstream.handler(req, res);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(upstream, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

const s3Auth = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
};

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  ms: number;
  reusedSocket: boolean;
}

function send(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    agent?: Agent;
  },
): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${options.path ?? '/bucket/dir/key'}`,
      {
        method: options.method ?? 'GET',
        headers: { ...s3Auth, ...options.headers },
        agent: options.agent,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body,
            ms: performance.now() - start,
            reusedSocket: req.reusedSocket,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const profile = (latencyMs: Record<string, number>, write = Infinity): LatencyProfile => ({
  ...noneProfile,
  name: 'test',
  latencyMs,
  s3RatePerPrefix: { write, read: Infinity },
});

describe('latency proxy mechanics', () => {
  let upstream: Upstream;
  let proxy: LatencyProxy | undefined;
  const start = async (p: LatencyProfile) => {
    proxy = await startLatencyProxy({ target: upstream.url, profile: p });
    return proxy;
  };

  beforeEach(async () => {
    upstream = await startUpstream();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await upstream.close();
  });

  it('answers no sooner than the modelled latency of the operation', async () => {
    const p = await start(profile({ s3: 200, 's3:HeadObject': 400 }));
    const get = await send(p.url, {});
    const head = await send(p.url, { method: 'HEAD' });
    expect(get.ms).toBeGreaterThanOrEqual(200);
    expect(head.ms).toBeGreaterThanOrEqual(400);
    expect(get.body).toBe('ok');
  });

  it('forwards at once, so the stand-in works while the latency runs', async () => {
    const p = await start(profile({ s3: 2000 }));
    const sent = performance.now();
    const answer = await send(p.url, {});
    expect(answer.ms).toBeGreaterThanOrEqual(2000);
    expect(upstream.received[0].at - sent).toBeLessThan(2000);
  });

  it('keeps many requests in flight: 16 requests with 1 s latency overlap', async () => {
    const p = await start(profile({ s3: 1000 }));
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const began = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => send(p.url, { path: `/bucket/dir/k${i}`, agent })),
    );
    const total = performance.now() - began;
    agent.destroy();
    expect(answers.every((a) => a.ms >= 1000 && a.status === 200)).toBe(true);
    expect(p.stats().maxInFlight).toBe(16);
    // Serialised they would take 16 s; overlapping, about one latency.
    expect(total).toBeLessThan(8000);
  });

  it('passes headers through unchanged, Host included, and the answer back', async () => {
    upstream.handler = (_req, res) => {
      res.writeHead(201, { 'x-amz-version-id': 'v1', etag: '"e"', 'content-length': '2' });
      res.end('ok');
    };
    const p = await start(profile({}));
    const answer = await send(p.url, {
      method: 'PUT',
      headers: {
        host: 'signed-for.example:1234',
        'x-amz-date': '20261130T000000Z',
        'content-type': 'text/plain',
      },
      body: 'data',
    });
    const seen = upstream.received[0].headers;
    expect(seen.host).toBe('signed-for.example:1234');
    expect(seen.authorization).toBe(s3Auth.authorization);
    expect(seen['x-amz-date']).toBe('20261130T000000Z');
    expect(seen['content-length']).toBe('4');
    expect(answer).toMatchObject({ status: 201, body: 'ok' });
    expect(answer.headers).toMatchObject({ 'x-amz-version-id': 'v1', etag: '"e"' });
  });

  it('streams a response: the client reads the first part before the stand-in sends the rest', async () => {
    let clientGotFirst!: () => void;
    const firstSeen = new Promise<void>((r) => (clientGotFirst = r));
    upstream.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write('first;');
      // A proxy that buffered the body would never let the client see this part: deadlock.
      void firstSeen.then(() => res.end('second'));
    };
    const p = await start(profile({}));
    const body = await new Promise<string>((resolve, reject) => {
      request(`${p.url}/bucket/dir/big`, { headers: s3Auth }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.startsWith('first;')) clientGotFirst();
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toBe('first;second');
  });

  it('streams a request body: the stand-in reads the first part before the client sends the rest', async () => {
    let upstreamGotFirst!: () => void;
    const firstArrived = new Promise<void>((r) => (upstreamGotFirst = r));
    upstream.handler = (req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.startsWith('first;')) upstreamGotFirst();
      });
      req.on('end', () => res.end(text));
    };
    const p = await start(profile({}));
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${p.url}/bucket/dir/upload`,
        { method: 'PUT', headers: { ...s3Auth, 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.write('first;');
      void firstArrived.then(() => req.end('second'));
    });
    expect(echoed).toBe('first;second');
  });

  it('keeps connections alive on both sides', async () => {
    const p = await start(profile({ s3: 10 }));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await send(p.url, { agent }));
    agent.destroy();
    expect(answers.slice(1).every((a) => a.reusedSocket)).toBe(true);
    expect(upstream.connections).toBe(1);
  });

  it('answers SlowDown beyond the per-prefix write rate without troubling the stand-in', async () => {
    const p = await start(profile({}, 5));
    const puts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(p.url, { method: 'PUT', path: `/bucket/hot/k${i}`, body: 'x' }),
      ),
    );
    const refused = puts.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(refused[0].body).toContain('<Code>SlowDown</Code>');
    expect(refused[0].headers['content-type']).toBe('application/xml');
    expect(upstream.received.length).toBe(20 - refused.length);
    // Another prefix, and reads of the same prefix, have budgets of their own.
    expect((await send(p.url, { method: 'PUT', path: '/bucket/cold/k', body: 'x' })).status).toBe(
      200,
    );
    expect((await send(p.url, { path: '/bucket/hot/k0' })).status).toBe(200);
    expect(p.stats().operations['s3:PutObject'].slowDowns).toBe(refused.length);
  });

  it('reports counts per operation on its control path, and resets them', async () => {
    const p = await start(profile({}));
    await send(p.url, {});
    await send(p.url, { method: 'PUT', path: '/bucket/dir/k?legal-hold', body: '<LegalHold/>' });
    const stats = JSON.parse((await send(p.url, { path: '/__latency-proxy/stats' })).body);
    expect(stats.operations['s3:GetObject'].requests).toBe(1);
    expect(stats.operations['s3:PutObjectLegalHold'].requests).toBe(1);
    await send(p.url, { method: 'POST', path: '/__latency-proxy/reset' });
    expect(p.stats().operations).toEqual({});
    expect(upstream.received.every((r) => !r.url.startsWith('/__latency-proxy'))).toBe(true);
  });

  it('forwards a request whose path does not decode, and stays up', async () => {
    const p = await start(profile({}));
    expect((await send(p.url, { path: '/bucket/%ZZ/k%E0' })).status).toBe(200);
    expect((await send(p.url, {})).status).toBe(200);
    expect(upstream.received[0].url).toBe('/bucket/%ZZ/k%E0');
  });

  it('answers 502 naming the cause when the stand-in is down', async () => {
    const p = await start(profile({}));
    await upstream.close();
    const answer = await send(p.url, {});
    expect(answer.status).toBe(502);
    expect(answer.body).toMatch(/the stand-in did not answer/);
    expect(p.stats().operations['s3:GetObject'].upstreamErrors).toBe(1);
  });
});
