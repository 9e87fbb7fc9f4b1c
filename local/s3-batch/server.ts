import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { JobStore, JobStoreOptions } from './jobs';
import { ApiError, JOB_STATUSES, JobStatus } from './model';
import { parseCreateJob } from './request';
import { jobDescriptor, jobListDescriptor } from './responses';
import { errorXml, parseRequestXml, responseXml } from './xml';

/**
 * The S3 Control job API over HTTP, as the SDK calls it with an endpoint
 * override: CreateJob, DescribeJob, ListJobs and UpdateJobStatus under
 * /v20180820/jobs, the account in `x-amz-account-id`. Signatures are not
 * checked (moto does not check them either).
 */

export interface S3BatchServerOptions extends JobStoreOptions {
  /** Region in the job ARNs. */
  readonly region: string;
  /** Loopback unless told otherwise: the stand-in has no authentication. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

export interface S3BatchServer {
  readonly url: string;
  /** Stops listening, cancels jobs awaiting confirmation, waits for running jobs. */
  close(): Promise<void>;
}

const JOBS = '/v20180820/jobs';
const JOB = /^\/v20180820\/jobs\/([^/]+)(\/status)?$/;
const MAX_BODY = 1024 * 1024;
const MAX_RESULTS = 1000;

interface Reply {
  readonly status: number;
  readonly xml: string;
}

function accountOf(request: IncomingMessage): string {
  const account = request.headers['x-amz-account-id'];
  if (typeof account !== 'string' || !/^\d{12}$/.test(account))
    throw new ApiError(400, 'InvalidRequest', 'x-amz-account-id must be a 12-digit account id');
  return account;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY)
      throw new ApiError(400, 'InvalidRequest', 'The request body exceeds 1 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf-8');
}

function listJobs(store: JobStore, account: string, query: URLSearchParams): Reply {
  const statuses = query.getAll('jobStatuses');
  const unknown = statuses.filter((s) => !JOB_STATUSES.includes(s as JobStatus));
  if (unknown.length > 0)
    throw new ApiError(400, 'InvalidRequest', `jobStatuses ${unknown.join(', ')} is not a status`);
  const max = Number(query.get('maxResults') ?? MAX_RESULTS);
  const from = Number(query.get('nextToken') ?? 0);
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
    throw new ApiError(400, 'InvalidRequest', `maxResults must be 1 to ${MAX_RESULTS}`);
  if (!Number.isInteger(from) || from < 0)
    throw new ApiError(400, 'InvalidRequest', 'nextToken is not one this service returned');
  const jobs = store.list(account, statuses as JobStatus[]);
  const page = jobs.slice(from, from + max);
  return {
    status: 200,
    xml: responseXml('ListJobsResult', {
      NextToken: from + max < jobs.length ? String(from + max) : undefined,
      Jobs: { member: page.map(jobListDescriptor) },
    }),
  };
}

async function route(
  store: JobStore,
  region: string,
  request: IncomingMessage,
  url: URL,
): Promise<Reply> {
  const { method } = request;
  if (url.pathname === JOBS && method === 'POST') {
    const body = parseRequestXml(await bodyOf(request), 'CreateJobRequest');
    const account = request.headers['x-amz-account-id']?.toString();
    const spec = parseCreateJob(account, body);
    const job = store.create(account!, spec);
    return { status: 200, xml: responseXml('CreateJobResult', { JobId: job.id }) };
  }
  if (url.pathname === JOBS && method === 'GET')
    return listJobs(store, accountOf(request), url.searchParams);
  const [, jobId, status] = JOB.exec(url.pathname) ?? [];
  if (jobId && !status && method === 'GET') {
    const job = store.get(accountOf(request), jobId);
    return {
      status: 200,
      xml: responseXml('DescribeJobResult', { Job: jobDescriptor(job, region) }),
    };
  }
  if (jobId && status && method === 'POST') {
    const requested = url.searchParams.get('requestedJobStatus');
    if (requested !== 'Ready' && requested !== 'Cancelled')
      throw new ApiError(400, 'InvalidRequest', 'requestedJobStatus must be Ready or Cancelled');
    const reason = url.searchParams.get('statusUpdateReason') ?? undefined;
    const job = store.updateStatus(accountOf(request), jobId, requested, reason);
    const result = {
      JobId: job.id,
      Status: job.status,
      StatusUpdateReason: job.statusUpdateReason,
    };
    return { status: 200, xml: responseXml('UpdateJobStatusResult', result) };
  }
  throw new ApiError(
    501,
    'NotImplemented',
    `${method} ${url.pathname} is not emulated by the local S3 Batch Operations stand-in`,
  );
}

async function handle(
  store: JobStore,
  region: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  let reply: Reply;
  try {
    reply = await route(store, region, request, new URL(request.url ?? '/', 'http://local'));
  } catch (error) {
    const e = error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error));
    reply = { status: e.httpStatus, xml: errorXml(e.code, e.message, requestId) };
  }
  response.writeHead(reply.status, {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
  });
  response.end(reply.xml);
}

export async function startS3BatchServer(options: S3BatchServerOptions): Promise<S3BatchServer> {
  const store = new JobStore(options);
  const server = createServer((request, response) => {
    void handle(store, options.region, request, response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await Promise.all([closed, store.close()]);
    },
  };
}
