import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import {
  awsProfileWithS3Ms,
  latencyOf,
  type LatencyProfile,
} from '../../local/latency-proxy/profiles';
import { startLatencyProxy, type LatencyProxy } from '../../local/latency-proxy/server';
import type { OperationStats } from '../../local/latency-proxy/stats';

/**
 * Where a bench sends the same work, side by side in one run: moto itself,
 * and moto behind the latency proxy (`local/latency-proxy/`) under AWS's
 * figures, once per S3 latency asked for. The proxy always forwards to moto
 * and answers with moto's answer, never sooner than the model says.
 */
export interface BenchTarget {
  readonly label: string;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly kms: KMSClient;
  /** Absent for moto directly. */
  readonly profile?: LatencyProfile;
  /** The proxies in front of the stand-ins, none for moto directly: what they saw, per operation. */
  readonly proxies: readonly LatencyProxy[];
}

/** Modelled ms of one call, 0 for moto directly. */
export const modelledMs = (t: BenchTarget, service: string, operation: string) =>
  t.profile ? latencyOf(t.profile, service, operation) : 0;

function clientsFor(endpoint: string, dynamodbEndpoint = endpoint) {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return {
    s3: new S3Client({ region, endpoint, forcePathStyle: true }),
    dynamodb: new DynamoDBClient({ region, endpoint: dynamodbEndpoint }),
    kms: new KMSClient({ region, endpoint }),
  };
}

export interface TargetOptions {
  /**
   * A second moto that serves DynamoDB alone (behind a proxy of its own),
   * as DynamoDB is a fleet apart from S3's on AWS; otherwise one moto
   * serves every service and its one Python process caps them all together.
   */
  readonly dynamodbEndpoint?: string;
}

/**
 * moto (at AWS_ENDPOINT_URL) directly, then one proxy per entry of `s3Ms`.
 * Credentials come from the environment, so every target acts in the same
 * account. `close()` stops the proxies.
 */
export async function latencyTargets(
  s3Ms: readonly number[],
  options: TargetOptions = {},
): Promise<{ targets: BenchTarget[]; close: () => Promise<void> }> {
  const moto = process.env.AWS_ENDPOINT_URL;
  if (!moto) throw new Error('set AWS_ENDPOINT_URL to the moto the bench runs against');
  const { dynamodbEndpoint } = options;
  const proxies: LatencyProxy[] = [];
  const targets: BenchTarget[] = [
    { label: 'moto directly', proxies: [], ...clientsFor(moto, dynamodbEndpoint) },
  ];
  for (const ms of s3Ms) {
    const profile = awsProfileWithS3Ms(ms);
    const mine = await Promise.all(
      [moto, ...(dynamodbEndpoint ? [dynamodbEndpoint] : [])].map((target) =>
        startLatencyProxy({ target, profile }),
      ),
    );
    proxies.push(...mine);
    targets.push({
      label: `model, S3 ${ms} ms`,
      profile,
      proxies: mine,
      ...clientsFor(mine[0].url, mine.at(-1)!.url),
    });
  }
  return { targets, close: async () => void (await Promise.all(proxies.map((p) => p.close()))) };
}

/** Prints rows of cells as a left-aligned, space-padded table. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

/**
 * Where a run's time went, from the proxy's counts since its last reset:
 * requests per item for each operation, and moto's own mean time for it
 * against the modelled one. An operation whose moto time exceeds the model
 * is answered late, so there the stand-in, not the model, sets the pace.
 */
export function requestSummary(t: BenchTarget, items: number): string {
  if (t.proxies.length === 0 || !t.profile) return '';
  const stats = t.proxies.map((p) => p.stats());
  const operations = Object.assign({}, ...stats.map((s) => s.operations)) as Record<
    string,
    OperationStats
  >;
  const maxInFlight = Math.max(...stats.map((s) => s.maxInFlight));
  const parts = Object.entries(operations).map(([op, s]) => {
    const [service, operation] = op.split(':');
    const moto = s.requests > 0 ? s.upstreamMs / s.requests : 0;
    const model = latencyOf(t.profile!, service, operation);
    const slow = s.slowDowns > 0 ? `, ${s.slowDowns} SlowDown` : '';
    return `${op} ${(s.requests / items).toFixed(2)}/item (moto ${moto.toFixed(0)} ms, model ${model} ms${slow})`;
  });
  return `    ${parts.join('; ')}; max in flight ${maxInFlight} (per moto)`;
}

/** Forgets what every proxy of `t` has seen, so the next summary covers one run. */
export const resetRequestCounts = (t: BenchTarget) => t.proxies.forEach((p) => p.resetStats());
