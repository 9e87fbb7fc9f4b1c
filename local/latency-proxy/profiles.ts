/**
 * What the latency proxy models: a minimum response time per service and
 * operation, and S3's per-prefix request rates. Every figure AWS publishes is
 * cited where it is used; the rest are assumptions, named as such, and every
 * one can be overridden (`--latency`, `--s3-write-rate`, `--s3-read-rate`).
 * docs/sizing.md lists the sources with their page titles.
 */

/** Which of S3's two per-prefix request-rate budgets a request draws on. */
export type S3RateClass = 'write' | 'read';

export interface LatencyProfile {
  /** Profile name, for reports. */
  readonly name: string;
  /** Minimum response time, ms, of a request whose service has no entry below. */
  readonly defaultMs: number;
  /**
   * Minimum response time, ms, by `service` (the SigV4 signing name, e.g. `s3`,
   * `dynamodb`) or `service:Operation` (e.g. `s3:ListObjectVersions`); the
   * operation entry wins.
   */
  readonly latencyMs: Readonly<Record<string, number>>;
  /**
   * S3 requests per second per partitioned prefix, by class; a request
   * beyond the rate is answered `503 SlowDown`. Infinity disables the limit.
   */
  readonly s3RatePerPrefix: Readonly<Record<S3RateClass, number>>;
}

/**
 * AWS's published figures. "Best practices design patterns: optimizing
 * Amazon S3 performance" (S3 User Guide): "at least 3,500
 * PUT/COPY/POST/DELETE or 5,500 GET/HEAD requests per second per partitioned
 * Amazon S3 prefix". "Performance design patterns for Amazon S3": requests
 * under 512 KB have "median latencies … often in the tens of milliseconds";
 * 20 ms is the low end of that, so a bench's concurrency gain under this
 * profile is, if anything, understated. "What is Amazon DynamoDB?" (DynamoDB
 * Developer Guide): "consistent single-digit millisecond performance".
 */
export const awsProfile: LatencyProfile = {
  name: 'aws',
  // Assumption: no AWS figure for STS, IAM, CloudWatch, Logs, Lambda's API...
  defaultMs: 20,
  latencyMs: {
    s3: 20,
    // Assumption: AWS publishes no figure for a 1,000-entry listing page.
    's3:ListObjectVersions': 60,
    's3:ListObjectsV2': 60,
    's3:ListObjects': 60,
    dynamodb: 5,
    // Assumptions: AWS publishes no latency figures for these APIs.
    kms: 10,
    firehose: 30,
    glue: 30,
    athena: 30,
  },
  s3RatePerPrefix: { write: 3500, read: 5500 },
};

/**
 * `awsProfile` with every S3 call taking `ms` (listings at least as long).
 * "Best practices design patterns: optimizing Amazon S3 performance" (S3 User
 * Guide) says latency-sensitive applications see small-object latencies of
 * "roughly 100–200 milliseconds": 100 ms is the low end of that figure, as
 * 20 ms is the low end of "tens of milliseconds". Benches print both.
 */
export function awsProfileWithS3Ms(ms: number): LatencyProfile {
  const latencyMs = Object.fromEntries(
    Object.entries(awsProfile.latencyMs).map(([k, v]) => [
      k,
      k === 's3' ? ms : k.startsWith('s3:') ? Math.max(v, ms) : v,
    ]),
  );
  return { ...awsProfile, name: `aws-s3-${ms}ms`, latencyMs };
}

/** Pass-through: no added latency, no rate limit (to measure the proxy itself). */
export const noneProfile: LatencyProfile = {
  name: 'none',
  defaultMs: 0,
  latencyMs: {},
  s3RatePerPrefix: { write: Infinity, read: Infinity },
};

export const profiles: Readonly<Record<string, LatencyProfile>> = {
  aws: awsProfile,
  'aws-s3-100ms': awsProfileWithS3Ms(100),
  none: noneProfile,
};

/** Minimum response time of one request under `profile`. */
export function latencyOf(profile: LatencyProfile, service: string, operation: string): number {
  return (
    profile.latencyMs[`${service}:${operation}`] ?? profile.latencyMs[service] ?? profile.defaultMs
  );
}
