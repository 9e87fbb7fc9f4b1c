import { StageConfig, stageConfigSchema } from '../../core/config/stage-config';
import { FIREHOSE, GB } from './figures';
import { Measured } from './measure';
import { AcmeRow, assumptions, OcspRow, trickleBilledRatio } from './model';

/**
 * "What the tables say", computed from the same rows as the tables, so the
 * prose quotes no figure the test does not recompute.
 */

const MiB = 1024 ** 2;
const grouped = (n: number) =>
  Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const sig = (n: number) => (n >= 1000 ? grouped(n) : Number(n.toPrecision(3)).toString());
const usd = (n: number) => (n < 100 ? n.toFixed(2) : grouped(n));
const pct = (n: number) => `${sig(n * 100)} %`;

/** The OCSP rows the prose refers to, by rate or Let's Encrypt label. */
function ocspRefs(rows: OcspRow[]) {
  const by = (prefix: string) => rows.find((r) => r.label.startsWith(prefix))!;
  return {
    origin: by('LE origin'),
    cdnMonthly: by('LE CDN, 340'),
    cdnPeak: by('LE CDN, 2025 peak'),
    top: rows[rows.length - 1],
    fullBuffer: rows.filter((r) => r.linesPerSecond >= 5_000),
  };
}

function streamsBullet(rows: OcspRow[], m: Measured, config: StageConfig): string {
  const { origin, cdnPeak, top } = ocspRefs(rows);
  const n = config.ingestion.streamCount.ocsp;
  const perStream = FIREHOSE.bigRegions.mibPerSecond * assumptions.headroom;
  const capacity = (n * perStream * MiB) / m.ocsp.bytesPerLine;
  const max = stageConfigSchema.shape.ingestion.shape.streamCount.shape.ocsp.maxValue!;
  const over = top.streams.bigRegion > max;
  return (
    `- **Streams.** The byte quota binds, not records or calls: a packed record carries about ` +
    `${sig(m.ocsp.bytesPerPackedRecord / 1024)} KiB, so ${grouped(top.linesPerSecond)} lines/s is ` +
    `${sig(top.recordsPerStream.packed)} records/s per stream against a quota of ` +
    `${grouped(FIREHOSE.bigRegions.recordsPerSecond)}. ${config.stage}'s OCSP streams (${n}) carry up ` +
    `to about ${grouped(capacity)} lines/s at ${pct(assumptions.headroom)} of the us-east-1 quota ` +
    `(${n} × ${perStream} MiB/s ÷ ${sig(m.ocsp.bytesPerLine)} B): Let's Encrypt's 2025 origin peak ` +
    `(${grouped(origin.linesPerSecond)}/s) ${origin.linesPerSecond <= capacity ? 'fits' : `needs ${origin.streams.bigRegion}`}; ` +
    `its CDN-side peak (${grouped(cdnPeak.linesPerSecond)}/s) needs ${cdnPeak.streams.bigRegion} streams, and ` +
    `${grouped(top.linesPerSecond)}/s needs ${top.streams.bigRegion} in us-east-1` +
    (over
      ? ` (more than the ${max} that \`ingestion.streamCount\` allows: ask for a higher per-stream quota first)`
      : '') +
    ` but ${top.streams.otherRegion} in a Region with the ${FIREHOSE.otherRegions.mibPerSecond} MiB/s quota. ` +
    `Set \`ingestion.streamCount.ocsp\` from the "Streams" column before the traffic arrives: ` +
    `Firehose raises a throttled stream's limit by itself, but only after throttling, and the ` +
    `shipper's retries then carry the burst.`
  );
}

function packingBullet(rows: OcspRow[], m: Measured): string {
  const { cdnPeak } = ocspRefs(rows);
  return (
    `- **Packing is the bill.** One record per line makes Firehose bill ` +
    `${sig(m.ocsp.naiveBilledRatio)}× the OCSP bytes (5 KiB per ${sig(m.ocsp.bytesPerLine)}-byte line): ` +
    `at the CDN peak that is USD ${usd(cdnPeak.usdPerDay.firehoseNaive)} a day against ` +
    `${usd(cdnPeak.usdPerDay.firehosePacked)} packed. Packing needs lines to pack: a shipper ` +
    `instance that sees 10 lines/s still pays ${sig(trickleBilledRatio(m.ocsp.bytesPerLine, 10))}× ` +
    `(its one-second flush is one part-filled 5 KiB record), 100 lines/s pays ` +
    `${pct(trickleBilledRatio(m.ocsp.bytesPerLine, 100) - 1)} more. Run one shipper per host (or ` +
    `per site) rather than per responder process, or raise \`--max-delay-ms\`.`
  );
}

function bufferingBullet(rows: OcspRow[], m: Measured, config: StageConfig): string {
  const { fullBuffer, top } = ocspRefs(rows);
  const { intervalSeconds, sizeMiB } = config.ingestion.buffering;
  const flush = fullBuffer.map((r) => r.flushSeconds);
  const intervalBelow = (sizeMiB * MiB) / intervalSeconds / m.ocsp.bytesPerLine;
  return (
    `- **Buffering.** With streams sized to ${pct(assumptions.headroom)} of their quota, every ` +
    `stream fills ${config.stage}'s ${sizeMiB} MiB buffer in ${sig(Math.min(...flush))}–` +
    `${sig(Math.max(...flush))} s at ${grouped(fullBuffer[0].linesPerSecond)} lines/s and up, so ` +
    `objects are ${sizeMiB} MiB raw, about ${sig(top.objectGzipMiB)} MiB GZIP, whatever the rate; ` +
    `the ${intervalSeconds} s interval only decides below about ${grouped(intervalBelow)} lines/s ` +
    `per stream. 128 MiB (the maximum) would halve the object count; the PUTs cost ` +
    `USD ${usd(top.usdPerDay.s3Puts)} a day at ${grouped(top.linesPerSecond)} lines/s either way, ` +
    `so the reason would be fewer objects for Athena to open.`
  );
}

function athenaBullet(rows: OcspRow[], m: Measured, config: StageConfig): string {
  const { cdnMonthly: r } = ocspRefs(rows);
  const cutoffGiB = config.analytics.bytesScannedCutoffGiB;
  const dayFits = (cutoffGiB * GB) / (m.ocsp.bytesPerLine * m.ocsp.gzipRatio * 86_400);
  return (
    `- **Athena.** The daily job reads one raw day: about ${sig(r.gzipGbPerDay)} GB of GZIP JSON ` +
    `at ${grouped(r.linesPerSecond)} lines/s (USD ${usd(r.usdPerDay.athenaDailyJob)}). Athena's DML ` +
    `timeout defaults to 30 minutes and AWS publishes no scan rate, so whether that query ` +
    `finishes within it only a real account can show; hence the daily job as an asynchronous ` +
    `workflow that waits on Athena outside any function. ${config.stage}'s ${grouped(cutoffGiB)} GiB ` +
    `per-query cutoff admits a full day up to about ${grouped(dayFits)} lines/s. A 30-day top-N ` +
    `over the aggregates costs USD ${usd(r.usdPerQuery.topN30Today)} at today's ` +
    `${pct(assumptions.aggregateShareToday)} share and USD ${usd(r.usdPerQuery.topN30Goal)} at the ` +
    `${pct(assumptions.aggregateShareGoal)} goal; one raw hour costs USD ${usd(r.usdPerQuery.rawHour)}.`
  );
}

function sealingBullet(acme: AcmeRow[]): string {
  const le = acme.find((r) => r.label.startsWith('LE, late 2025'))!;
  const burst = acme[acme.length - 1];
  return (
    `- **Sealing.** Objects are large, so sealing is rare: at Let's Encrypt's ` +
    `${sig(le.certificatesPerDay / 1e6)} million certificates a day, each ACME stream ` +
    `(${le.streams} at that volume) delivers a ${sig(le.objectGzipMiB)} MiB GZIP object every ` +
    `${sig((86_400 * le.streams) / le.objectsPerDay)} s and each seal takes about ` +
    `${sig(le.sealSeconds)} s (four S3 calls, the object read and written at 85 MB/s, hashed at ` +
    `the assumed 200 MB/s). Mean concurrency is ${sig(le.sealConcurrency.mean)}; the peak is the ` +
    `number of ACME streams flushing at once. Even a re-issue of ` +
    `${sig(burst.certificatesPerDay / 1e6)} million certificates in a day needs ${burst.streams} ` +
    `streams and at most ${burst.sealConcurrency.peak} concurrent seals. Lambda concurrency is not ` +
    `a constraint; the landing object's size (up to 128 MiB in a 1 GiB function) is the one to watch.`
  );
}

function archiveBullet(acme: AcmeRow[], config: StageConfig): string {
  const le = acme.find((r) => r.label.startsWith('LE, late 2025'))!;
  const burst = acme[acme.length - 1];
  const a = le.archive;
  const storageShare = (a.steadyStateUsdPerMonth * 12) / 365 / le.steadyStateUsdPerDay;
  return (
    `- **The archive.** At ${sig(le.certificatesPerDay / 1e6)} million certificates a day the ` +
    `archive grows by ${sig(a.gzipTbPerYear)} TB of GZIP a year and holds about ` +
    `${sig(a.steadyStateTb)} TB once the first objects expire, USD ` +
    `${usd(a.steadyStateUsdPerMonth)} a month with ${config.stage}'s transitions. Requests and ` +
    `transitions cost USD ${usd(a.requestsUsdPerYear + a.transitionsUsdPerYear)} a year because ` +
    `objects are tens of MiB: every one is far above the 128 KB that Standard-IA and Glacier IR ` +
    `bill at least. With ingestion and sealing, ACME costs about USD ` +
    `${usd(le.steadyStateUsdPerDay)} a day once the archive is full (storage is ` +
    `${pct(storageShare)} of it). A one-day re-issue of ${sig(burst.certificatesPerDay / 1e6)} ` +
    `million certificates adds about ${sig(burst.archive.gzipTbPerYear / 365)} TB of GZIP ` +
    `(${grouped(burst.objectsPerDay)} objects of ${sig(burst.objectGzipMiB)} MiB); the archive ` +
    `table leaves that row out, as it is not a yearly rate.`
  );
}

function costBullet(rows: OcspRow[]): string {
  const { cdnMonthly: r } = ocspRefs(rows);
  return (
    `- **Cost per day** for OCSP is Firehose ingestion, about ` +
    `${pct(r.usdPerDay.firehosePacked / r.usdPerDay.total)} of the total (USD ` +
    `${usd(r.usdPerDay.total)} a day at ${grouped(r.linesPerSecond)} lines/s). KMS is not in the ` +
    `tables: the data stack's buckets use S3 Bucket Keys, which keep SSE-KMS calls far below the ` +
    `100,000/s symmetric quota of us-east-1.`
  );
}

/** The bullets of "What the tables say". */
export function summaryLines(
  ocsp: OcspRow[],
  acme: AcmeRow[],
  m: Measured,
  config: StageConfig,
): string[] {
  return [
    '### What the tables say',
    '',
    streamsBullet(ocsp, m, config),
    packingBullet(ocsp, m),
    bufferingBullet(ocsp, m, config),
    athenaBullet(ocsp, m, config),
    sealingBullet(acme),
    archiveBullet(acme, config),
    costBullet(ocsp),
  ];
}
