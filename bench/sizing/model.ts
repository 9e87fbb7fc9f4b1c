import { lockDays, StageConfig } from '../../core/config/stage-config';
import { ATHENA, FIREHOSE, GB, LAMBDA, S3, TB } from './figures';
import { Measured } from './measure';

/**
 * The sizing arithmetic: from a line rate (OCSP) or an issuance rate (ACME),
 * the measured line figures, the stage's configuration and AWS's cited
 * quotas and prices, to streams, objects, requests, bytes and dollars.
 * Pure: bench/sizing/run.ts prints it, the doc test recomputes it.
 */

/** Figures AWS does not publish or that depend on the deployment: stated, not measured. */
export const assumptions = {
  /** Size streams to at most this share of their quota, for bursts above the mean. */
  headroom: 0.8,
  /** SHA-256 throughput of the sealing function (1 GiB Lambda, about 0.6 vCPU). */
  sha256BytesPerSecond: 200e6,
  /** Memory of the seal function (lib/sealing), GiB. */
  sealMemoryGb: 1,
  /**
   * 30-day top-N ÷ the same question over raw logs, as bench/query measured
   * it: from the daily rankings, exact (0.71 %; the full aggregate read 2.93 %).
   */
  aggregateShareToday: 0.0071,
  /** The same share, once issue 19's aggregate goal is met. */
  aggregateShareGoal: 0.01,
} as const;

const DAY = 86_400;
const transitionUsd: Record<string, number> = S3.usdPerThousandTransitions;
const MiB = 1024 ** 2;

export interface OcspRow {
  readonly label: string;
  readonly linesPerSecond: number;
  readonly rawMiBps: number;
  readonly linesPerDay: number;
  /** Streams needed at `headroom` of the quota: us-east-1 (5 MiB/s), other Regions (1 MiB/s). */
  readonly streams: { readonly bigRegion: number; readonly otherRegion: number };
  /** Records per second per us-east-1 stream, packed by the shipper and one per line. */
  readonly recordsPerStream: { readonly packed: number; readonly naive: number };
  /** Seconds between objects of one stream: the interval, or sooner when the size fills. */
  readonly flushSeconds: number;
  readonly objectsPerDay: number;
  readonly objectRawMiB: number;
  readonly objectGzipMiB: number;
  readonly gzipGbPerDay: number;
  /** Raw OCSP kept (expiry days, plus the day S3's lifecycle rounds up to). */
  readonly rawWindowGb: number;
  readonly billedGbPerDay: { readonly naive: number; readonly packed: number };
  readonly usdPerDay: {
    readonly firehoseNaive: number;
    readonly firehosePacked: number;
    readonly s3Puts: number;
    readonly s3Storage: number;
    readonly athenaDailyJob: number;
    readonly total: number;
  };
  /** USD per query: one hour of raw, a 30-day top-N over aggregates today and at the goal. */
  readonly usdPerQuery: {
    readonly rawHour: number;
    readonly topN30Today: number;
    readonly topN30Goal: number;
  };
}

const streamsFor = (mibPerSecond: number, quotaMiBps: number) =>
  Math.max(1, Math.ceil(mibPerSecond / (quotaMiBps * assumptions.headroom)));

const athenaUsd = (bytes: number) =>
  (Math.max(bytes, ATHENA.minBytesPerQuery) / TB) * ATHENA.usdPerTb;

/** How Firehose cuts one stream into objects under the stage's buffering hints. */
function objectsOf(bytesPerSecondPerStream: number, streams: number, config: StageConfig) {
  const { intervalSeconds, sizeMiB } = config.ingestion.buffering;
  const flushSeconds = Math.min(intervalSeconds, (sizeMiB * MiB) / bytesPerSecondPerStream);
  return {
    flushSeconds,
    objectsPerDay: (streams * DAY) / flushSeconds,
    objectRawBytes: bytesPerSecondPerStream * flushSeconds,
  };
}

export function ocspRow(
  label: string,
  linesPerSecond: number,
  m: Measured,
  config: StageConfig,
): OcspRow {
  const bytesPerSecond = linesPerSecond * m.ocsp.bytesPerLine;
  const rawMiBps = bytesPerSecond / MiB;
  const streams = {
    bigRegion: streamsFor(rawMiBps, FIREHOSE.bigRegions.mibPerSecond),
    otherRegion: streamsFor(rawMiBps, FIREHOSE.otherRegions.mibPerSecond),
  };
  const o = objectsOf(bytesPerSecond / streams.bigRegion, streams.bigRegion, config);
  const rawPerDay = bytesPerSecond * DAY;
  const gzipPerDay = rawPerDay * m.ocsp.gzipRatio;
  const rawWindowGb = (gzipPerDay * (config.ocsp.rawLogExpiryDays + 1)) / GB;
  const billed = {
    naive: (rawPerDay * m.ocsp.naiveBilledRatio) / GB,
    packed: (rawPerDay * m.ocsp.packedBilledRatio) / GB,
  };
  const usd = {
    firehoseNaive: billed.naive * FIREHOSE.usdPerGb,
    firehosePacked: billed.packed * FIREHOSE.usdPerGb,
    s3Puts: (o.objectsPerDay / 1000) * S3.usdPerThousand.put,
    s3Storage: (rawWindowGb * S3.usdPerGbMonth.STANDARD * 12) / 365,
    athenaDailyJob: athenaUsd(gzipPerDay),
  };
  return {
    label,
    linesPerSecond,
    rawMiBps,
    linesPerDay: linesPerSecond * DAY,
    streams,
    recordsPerStream: {
      packed: bytesPerSecond / m.ocsp.bytesPerPackedRecord / streams.bigRegion,
      naive: linesPerSecond / streams.bigRegion,
    },
    flushSeconds: o.flushSeconds,
    objectsPerDay: o.objectsPerDay,
    objectRawMiB: o.objectRawBytes / MiB,
    objectGzipMiB: (o.objectRawBytes * m.ocsp.gzipRatio) / MiB,
    gzipGbPerDay: gzipPerDay / GB,
    rawWindowGb,
    billedGbPerDay: billed,
    usdPerDay: {
      ...usd,
      total: usd.firehosePacked + usd.s3Puts + usd.s3Storage + usd.athenaDailyJob,
    },
    usdPerQuery: {
      rawHour: athenaUsd(gzipPerDay / 24),
      topN30Today: athenaUsd(30 * gzipPerDay * assumptions.aggregateShareToday),
      topN30Goal: athenaUsd(30 * gzipPerDay * assumptions.aggregateShareGoal),
    },
  };
}

/**
 * Billed ÷ raw for one shipper instance sending `linesPerSecond` lines of
 * `bytesPerLine`: it flushes a partly filled record every second
 * (`--max-delay-ms 1000`), so a trickle pays the 5 KiB rounding on each flush.
 */
export function trickleBilledRatio(bytesPerLine: number, linesPerSecond: number): number {
  const perSecond = bytesPerLine * linesPerSecond;
  const fullRecords = Math.floor(perSecond / FIREHOSE.maxRecordBytes);
  const rest = perSecond - fullRecords * FIREHOSE.maxRecordBytes;
  const unit = FIREHOSE.billingUnitBytes;
  const billed =
    fullRecords * Math.ceil(FIREHOSE.maxRecordBytes / unit) * unit + Math.ceil(rest / unit) * unit;
  return billed / perSecond;
}

export interface AcmeRow {
  readonly label: string;
  readonly certificatesPerDay: number;
  readonly linesPerSecond: number;
  readonly rawMiBps: number;
  readonly streams: number;
  readonly objectsPerDay: number;
  readonly objectGzipMiB: number;
  /** One seal: 4 S3 calls, the object read and written once each, hashed once. */
  readonly sealSeconds: number;
  readonly sealConcurrency: { readonly mean: number; readonly peak: number };
  readonly sealUsdPerDay: number;
  /** Firehose ingestion, one record per line / packed by the shipper. */
  readonly firehoseUsdPerDay: { readonly naive: number; readonly packed: number };
  readonly archive: AcmeArchive;
  /** Packed ingestion, sealing, requests, transitions and storage once the archive is full. */
  readonly steadyStateUsdPerDay: number;
}

export interface AcmeArchive {
  readonly gzipTbPerYear: number;
  readonly objectsPerYear: number;
  /** PUT-class (PUT, LIST) and GET-class (GET, HEAD) requests a year: landing, sealing, digests. */
  readonly requestsPerYear: { readonly put: number; readonly get: number };
  readonly requestsUsdPerYear: number;
  readonly transitionsUsdPerYear: number;
  /** Stored once the first objects expire (lock + expiry margin), TB. */
  readonly steadyStateTb: number;
  readonly steadyStateUsdPerMonth: number;
}

type PricedClass = keyof typeof S3.usdPerGbMonth;

/** Days each archived byte spends in each storage class under the stage's lifecycle. */
function classDays(config: StageConfig): [PricedClass, number][] {
  const life = lockDays(config) + (config.subscriber.expireDaysAfterRetention ?? 0);
  const steps = [...config.subscriber.transitions].sort((a, b) => a.afterDays - b.afterDays);
  const starts: [PricedClass, number][] = [['STANDARD', 0]];
  for (const t of steps) {
    if (!(t.storageClass in S3.usdPerGbMonth))
      throw new Error(
        `no price for ${t.storageClass} in bench/sizing/figures.ts: add it with its source`,
      );
    starts.push([t.storageClass as PricedClass, t.afterDays]);
  }
  return starts.map(([cls, from], i) => [cls, Math.min(starts[i + 1]?.[1] ?? life, life) - from]);
}

function archiveOf(objectsPerDay: number, objectBytes: number, config: StageConfig): AcmeArchive {
  const objectsPerYear = objectsPerDay * 365;
  const scanDays = config.subscriber.landingExpiryDays + 1;
  // Landing PUT by Firehose, archive PUT by sealing; digests list scanDays of versions every hour.
  const listPagesPerYear = 24 * 365 * Math.ceil((scanDays * objectsPerDay) / 1000);
  const put = 2 * objectsPerYear + listPagesPerYear + 24 * 365;
  // Sealing reads the landing object and HEADs the archived copy; the digest HEADs it once more.
  const get = 3 * objectsPerYear;
  const classes = classDays(config);
  const transitionsUsdPerYear = classes
    .slice(1)
    .reduce((sum, [cls]) => sum + (objectsPerYear / 1000) * transitionUsd[cls], 0);
  const steadyStateUsdPerMonth = classes.reduce((sum, [cls, days]) => {
    const billable = Math.max(objectBytes, S3.minBillableBytes[cls]);
    return sum + ((objectsPerDay * days * billable) / GB) * S3.usdPerGbMonth[cls];
  }, 0);
  return {
    gzipTbPerYear: (objectsPerYear * objectBytes) / TB,
    objectsPerYear,
    requestsPerYear: { put, get },
    requestsUsdPerYear: (put / 1000) * S3.usdPerThousand.put + (get / 1000) * S3.usdPerThousand.get,
    transitionsUsdPerYear,
    steadyStateTb: (objectsPerDay * objectBytes * classes.reduce((n, [, d]) => n + d, 0)) / TB,
    steadyStateUsdPerMonth,
  };
}

export function acmeRow(
  label: string,
  certificatesPerDay: number,
  m: Measured,
  config: StageConfig,
): AcmeRow {
  const linesPerSecond = (certificatesPerDay * m.acme.linesPerIssuedCertificate) / DAY;
  const bytesPerSecond = linesPerSecond * m.acme.bytesPerLine;
  const streams = streamsFor(bytesPerSecond / MiB, FIREHOSE.bigRegions.mibPerSecond);
  const o = objectsOf(bytesPerSecond / streams, streams, config);
  const objectGzipBytes = o.objectRawBytes * m.acme.gzipRatio;
  const sealSeconds =
    (4 * S3.smallRequestMs) / 1000 +
    (2 * objectGzipBytes) / S3.bytesPerSecondPerConnection +
    objectGzipBytes / assumptions.sha256BytesPerSecond;
  const invocationsPerDay = o.objectsPerDay;
  const rawPerDay = bytesPerSecond * DAY;
  const firehoseUsdPerDay = {
    naive: ((rawPerDay * m.acme.naiveBilledRatio) / GB) * FIREHOSE.usdPerGb,
    packed: ((rawPerDay * m.acme.packedBilledRatio) / GB) * FIREHOSE.usdPerGb,
  };
  const sealUsdPerDay =
    (invocationsPerDay / 1e6) * LAMBDA.usdPerMillionRequests +
    invocationsPerDay * sealSeconds * assumptions.sealMemoryGb * LAMBDA.usdPerGbSecond;
  const archive = archiveOf(o.objectsPerDay, objectGzipBytes, config);
  return {
    label,
    certificatesPerDay,
    linesPerSecond,
    rawMiBps: bytesPerSecond / MiB,
    streams,
    objectsPerDay: o.objectsPerDay,
    objectGzipMiB: objectGzipBytes / MiB,
    sealSeconds,
    // Each stream hands over one object per flush; at worst all streams flush at once.
    sealConcurrency: { mean: (invocationsPerDay / DAY) * sealSeconds, peak: streams },
    sealUsdPerDay,
    firehoseUsdPerDay,
    archive,
    steadyStateUsdPerDay:
      firehoseUsdPerDay.packed +
      sealUsdPerDay +
      (archive.requestsUsdPerYear + archive.transitionsUsdPerYear) / 365 +
      (archive.steadyStateUsdPerMonth * 12) / 365,
  };
}
