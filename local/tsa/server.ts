import { IncomingMessage, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TsaPki, TsaPkiOptions, ensureTsaPki, writeTsaTrust } from './pki';
import { openssl } from './openssl';

/**
 * RFC 3161 over HTTP (§3.4): POST an `application/timestamp-query`, get an
 * `application/timestamp-reply`. Every token is made by `openssl ts -reply`,
 * a real TSA implementation, so what the verifier accepts here is what
 * openssl produces, not what this repository imagines a token to be.
 */
export interface TsaServerOptions extends TsaPkiOptions {
  /** Where the CA, TSA key and certificate live; created on first start. */
  readonly dir: string;
  /**
   * Loopback unless told otherwise: the stand-in signs whatever it is sent.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * 0 picks a free port.
   * @default 0
   */
  readonly port?: number;
  /**
   * One line per request.
   * @default no logging
   */
  readonly log?: (line: string) => void;
}

export interface TsaServer {
  readonly url: string;
  readonly pki: TsaPki;
  /** The stand-in's trust directory (`tsas.json` + root), for `loadTsaTrust`. */
  readonly trustDir: string;
  close(): Promise<void>;
}

/** RFC 3161 queries are a few hundred bytes; anything this large is not one. */
const MAX_QUERY = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function queryOf(request: IncomingMessage): Promise<Buffer> {
  if (request.method !== 'POST') throw new HttpError(405, 'only POST is allowed');
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/timestamp-query')
    throw new HttpError(415, 'Content-Type must be application/timestamp-query');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_QUERY) throw new HttpError(413, `a query is at most ${MAX_QUERY} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startTsaServer(options: TsaServerOptions): Promise<TsaServer> {
  const pki = await ensureTsaPki(options.dir, options);
  const log = options.log ?? (() => undefined);
  // openssl rewrites its serial file on every reply, and node's stdio pipes are
  // sockets openssl cannot fopen: one reply at a time, through two files.
  const queryFile = join(pki.dir, 'query.tsq');
  const replyFile = join(pki.dir, 'reply.tsr');
  let queue: Promise<unknown> = Promise.resolve();
  const reply = (query: Buffer): Promise<Buffer> => {
    const next = queue.then(async () => {
      await writeFile(queryFile, query);
      await openssl([
        'ts',
        '-reply',
        '-config',
        pki.config,
        '-queryfile',
        queryFile,
        '-out',
        replyFile,
      ]);
      return readFile(replyFile);
    });
    queue = next.catch(() => undefined);
    return next;
  };
  const server = createServer((request, response) => {
    queryOf(request)
      .then(reply)
      .then((body) => {
        response.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(body);
        log(`${request.method} ${request.url} 200 ${body.length} B`);
      })
      .catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        const headers = status === 405 ? { Allow: 'POST' } : {};
        // The request body may be unread: close rather than reuse the connection.
        response.writeHead(status, {
          'Content-Type': 'text/plain',
          Connection: 'close',
          ...headers,
        });
        response.end(`${(error as Error).message}\n`);
        log(`${request.method} ${request.url} ${status} ${(error as Error).message}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}/`;
  const trustDir = await writeTsaTrust(pki, url);
  return {
    url,
    pki,
    trustDir,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      // Clients keep connections alive; an idle one would hold close() open.
      server.closeIdleConnections();
      await closed;
    },
  };
}
