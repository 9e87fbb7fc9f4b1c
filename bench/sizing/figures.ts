/**
 * Every AWS quota, limit and price the sizing table is computed from, with
 * where it comes from. docs/sizing.md prints this list (bench/sizing/run.ts),
 * so a figure cannot be used without its source showing.
 */

export interface Source {
  /** The page's title, as AWS gives it. */
  readonly title: string;
  readonly url: string;
  /** What the page says that is used here. */
  readonly says: string;
}

/** Prices checked on this date for us-east-1 (list prices, no free tier, no discounts). */
export const PRICES_CHECKED = '2026-11-30';

const PRICE_CAVEAT =
  'us-east-1 list price; the stored copy of AWS’s pricing page renders its table with script, so the figure was read from copies quoting it (2025–2026) — confirm in the AWS Pricing Calculator before budgeting';

export const sources = {
  firehoseQuota: {
    title: 'Amazon Data Firehose Quota (Amazon Data Firehose Developer Guide)',
    url: 'https://docs.aws.amazon.com/firehose/latest/dev/limits.html',
    says: 'Direct PUT, per stream, PutRecord and PutRecordBatch combined: us-east-1, us-west-2, eu-west-1 500,000 records/s, 2,000 requests/s, 5 MiB/s; other Regions 100,000 records/s, 1,000 requests/s, 1 MiB/s; the three scale together on request, and Firehose raises a throttled stream’s limit itself over time. Record ≤ 1,000 KiB; PutRecordBatch ≤ 500 records or 4 MiB. Ingestion billed per record rounded up to 5 KB (5,120 bytes). One CUSTOMER_MANAGED_CMK encrypts at most 500 streams',
  },
  firehoseBuffering: {
    title: 'BufferingHints (Amazon Data Firehose API Reference)',
    url: 'https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html',
    says: 'IntervalInSeconds 0–900, SizeInMBs 1–128 MiB of incoming data, whichever is reached first; size recommended above 10 s of the stream’s ingest',
  },
  firehosePrice: {
    title: 'Amazon Data Firehose pricing',
    url: 'https://aws.amazon.com/firehose/pricing/',
    says: `Direct PUT ingestion USD 0.029 per GB, first 500 TB/month (${PRICE_CAVEAT})`,
  },
  s3Performance: {
    title:
      'Best practices design patterns: optimizing Amazon S3 performance (Amazon S3 User Guide)',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html',
    says: 'at least 3,500 PUT/COPY/POST/DELETE or 5,500 GET/HEAD requests per second per partitioned prefix, no limit on prefixes; scaling is gradual, with 503 Slow Down meanwhile; small-object latencies of roughly 100–200 ms for latency-sensitive applications',
  },
  s3DesignPatterns: {
    title: 'Performance design patterns for Amazon S3 (Amazon S3 User Guide)',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance-design-patterns.html',
    says: 'requests under 512 KB: median latencies often in the tens of milliseconds, retry after 2 s; one concurrent request per 85–90 MB/s of network throughput wanted',
  },
  s3Price: {
    title: 'Amazon S3 pricing',
    url: 'https://aws.amazon.com/s3/pricing/',
    says: `S3 Standard USD 0.023/GB-month (first 50 TB); Standard-IA 0.0125; Glacier Instant Retrieval 0.004 (both bill at least 128 KB per object and 30/90 days); PUT/COPY/POST/LIST USD 0.005 per 1,000, GET/HEAD and other requests 0.0004 per 1,000, DELETE free; lifecycle transitions to Standard-IA 0.01, to Glacier IR 0.02 per 1,000 (${PRICE_CAVEAT})`,
  },
  athenaPrice: {
    title: 'Amazon Athena pricing',
    url: 'https://aws.amazon.com/athena/pricing/',
    says: 'USD 5 per TB of data scanned, rounded up to the megabyte, 10 MB minimum per query; DDL and failed queries free',
  },
  athenaQuota: {
    title: 'Amazon Athena endpoints and quotas (AWS General Reference)',
    url: 'https://docs.aws.amazon.com/general/latest/gr/athena.html',
    says: 'DML query timeout 30 minutes by default (adjustable); active DML queries per account and Region are a quota too',
  },
  lambdaPrice: {
    title: 'Lambda — How AWS Pricing Works (AWS whitepaper)',
    url: 'https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html',
    says: 'USD 0.20 per million requests; USD 0.0000166667 per GB-second (x86, first tier, us-east-1), duration rounded up to 1 ms',
  },
  dynamodb: {
    title: 'What is Amazon DynamoDB? (Amazon DynamoDB Developer Guide)',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Introduction.html',
    says: 'consistent single-digit millisecond performance',
  },
  kmsQuota: {
    title: 'Request quotas (AWS Key Management Service Developer Guide)',
    url: 'https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html',
    says: 'symmetric cryptographic operations shared: 100,000/s in us-east-1, us-west-2, eu-west-1; 20,000/s in six more Regions; 10,000/s elsewhere; S3 SSE-KMS calls made on your behalf count',
  },
  leOcsp: {
    title: 'OCSP Service Has Reached End of Life (Let’s Encrypt, 2025-08-06)',
    url: 'https://letsencrypt.org/2025/08/06/ocsp-service-has-reached-end-of-life.html',
    says: 'at the 2025 peak, about 340 billion OCSP requests a month: more than 140,000/s at the CDN, 15,000/s at the origin (the service was then turned off)',
  },
  leIssuance: {
    title: '10 Years of Let’s Encrypt (Let’s Encrypt, 2025-12-09)',
    url: 'https://letsencrypt.org/2025/12/09/10-years',
    says: 'as of late 2025, frequently ten million certificates issued a day',
  },
  leLifetimes: {
    title: 'Decreasing Certificate Lifetimes to 45 Days (Let’s Encrypt, 2025-12-02)',
    url: 'https://letsencrypt.org/2025/12/02/from-90-to-45',
    says: 'default certificate lifetime falls from 90 to 45 days from 2026-05-13: renewals, and so ACME traffic, roughly double',
  },
  leReissue: {
    title: 'Preparing to Issue 200 Million Certificates in 24 Hours (Let’s Encrypt, 2021-02-10)',
    url: 'https://letsencrypt.org/2021/02/10/200m-certs-24hrs',
    says: 'prepared to re-issue every certificate within a day: 200 million certificates in 24 hours',
  },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof sources;

export const FIREHOSE = {
  /** Direct PUT per-stream quota, us-east-1 / us-west-2 / eu-west-1. */
  bigRegions: { recordsPerSecond: 500_000, requestsPerSecond: 2_000, mibPerSecond: 5 },
  /** Direct PUT per-stream quota, every other Region. */
  otherRegions: { recordsPerSecond: 100_000, requestsPerSecond: 1_000, mibPerSecond: 1 },
  maxRecordBytes: 1000 * 1024,
  billingUnitBytes: 5 * 1024,
  streamsPerCmk: 500,
  usdPerGb: 0.029,
} as const;

export const S3 = {
  writesPerPrefixPerSecond: 3_500,
  readsPerPrefixPerSecond: 5_500,
  /** "Tens of milliseconds" median for small requests: 20 ms is the latency proxy's `aws` figure. */
  smallRequestMs: 20,
  /** One connection carries about this much (85–90 MB/s per concurrent request). */
  bytesPerSecondPerConnection: 85e6,
  usdPerGbMonth: { STANDARD: 0.023, STANDARD_IA: 0.0125, GLACIER_IR: 0.004 },
  minBillableBytes: { STANDARD: 0, STANDARD_IA: 128 * 1024, GLACIER_IR: 128 * 1024 },
  usdPerThousand: { put: 0.005, get: 0.0004, delete: 0 },
  usdPerThousandTransitions: { STANDARD_IA: 0.01, GLACIER_IR: 0.02 },
} as const;

export const ATHENA = {
  usdPerTb: 5,
  minBytesPerQuery: 10 * 1024 ** 2,
  dmlTimeoutMinutes: 30,
} as const;

export const LAMBDA = { usdPerMillionRequests: 0.2, usdPerGbSecond: 0.0000166667 } as const;

/** AWS bills storage and data in binary gigabytes (2^30 bytes) and terabytes (2^40). */
export const GB = 1024 ** 3;
export const TB = 1024 ** 4;
