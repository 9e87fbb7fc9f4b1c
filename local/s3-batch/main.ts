import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { startS3BatchServer } from './server';

/**
 * The S3 Batch Operations stand-in as a process (scripts/standins.sh starts
 * it): `node --import tsx local/s3-batch/main.ts --port 18082 [--concurrency 16]`.
 * Tasks run against the S3 at AWS_ENDPOINT_URL (moto). Jobs are kept in
 * memory: a restart forgets them.
 */

const USAGE = 'usage: main.ts [--port 18082] [--host 127.0.0.1] [--concurrency 16]';

function wholeNumber(value: string, name: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be a whole number >= ${min}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '18082' },
      host: { type: 'string', default: '127.0.0.1' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const endpoint = process.env.AWS_ENDPOINT_URL;
  // Without an endpoint the SDK would reach real AWS; a stand-in must never do that.
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL must name the local S3 (moto)');
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const server = await startS3BatchServer({
    s3: new S3Client({ region, forcePathStyle: true }),
    region,
    host: values.host,
    port: wholeNumber(values.port, 'port', 0),
    concurrency: wholeNumber(values.concurrency, 'concurrency', 1),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  // No signal handlers: jobs live only in memory, so SIGTERM may end the process at once.
  console.log(`s3-batch stand-in at ${server.url}, tasks against S3 at ${endpoint}`);
}

main().catch((error: unknown) => {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
});
