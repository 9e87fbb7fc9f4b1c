import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import {
  awsProfileWithS3Ms,
  latencyOf,
  type LatencyProfile,
} from '../../local/latency-proxy/profiles';
import { startLatencyProxy, type LatencyProxy } from '../../local/latency-proxy/server';

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
}

/** Modelled ms of one call, 0 for moto directly. */
export const modelledMs = (t: BenchTarget, service: string, operation: string) =>
  t.profile ? latencyOf(t.profile, service, operation) : 0;

function clientsFor(endpoint: string) {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return {
    s3: new S3Client({ region, endpoint, forcePathStyle: true }),
    dynamodb: new DynamoDBClient({ region, endpoint }),
    kms: new KMSClient({ region, endpoint }),
  };
}

/**
 * moto (at AWS_ENDPOINT_URL) directly, then one proxy per entry of `s3Ms`.
 * Credentials come from the environment, so every target acts in the same
 * account. `close()` stops the proxies.
 */
export async function latencyTargets(
  s3Ms: readonly number[],
): Promise<{ targets: BenchTarget[]; close: () => Promise<void> }> {
  const moto = process.env.AWS_ENDPOINT_URL;
  if (!moto) throw new Error('set AWS_ENDPOINT_URL to the moto the bench runs against');
  const proxies: LatencyProxy[] = [];
  const targets: BenchTarget[] = [{ label: 'moto directly', ...clientsFor(moto) }];
  for (const ms of s3Ms) {
    const proxy = await startLatencyProxy({ target: moto, profile: awsProfileWithS3Ms(ms) });
    proxies.push(proxy);
    targets.push({ label: `model, S3 ${ms} ms`, profile: proxy.profile, ...clientsFor(proxy.url) });
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
