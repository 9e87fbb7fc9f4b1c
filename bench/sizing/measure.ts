import { gzipSync } from 'node:zlib';
import { billedBytes, FIREHOSE, Packer, validateLine } from '../../core/ingest/shipper';
import { acmeTraffic, ocspTraffic, TrafficOptions } from '../../core/traffic';

/**
 * The inputs of the sizing table this machine can measure in seconds, from
 * the same generator `logvault generate` prints (fixed seed and dates, so
 * every run gives the same figures): stored line size after the shipper's
 * validation, GZIP ratio, and what Firehose would bill with and without the
 * shipper's packing.
 */

export interface LineSample {
  readonly lines: number;
  /** Mean stored line, bytes, newline included (the shipper's output). */
  readonly bytesPerLine: number;
  /** GZIP bytes ÷ raw bytes of the lines concatenated (zlib default level). */
  readonly gzipRatio: number;
  /** Billed bytes ÷ raw bytes when the shipper packs lines into records (5 KiB rounding). */
  readonly packedBilledRatio: number;
  /** Mean packed record, bytes. */
  readonly bytesPerPackedRecord: number;
  /** Billed bytes ÷ raw bytes with one record per line. */
  readonly naiveBilledRatio: number;
}

export interface Measured {
  readonly ocsp: LineSample;
  readonly acme: LineSample & {
    /** ACME lines per issued certificate (a `cert` download that succeeded). */
    readonly linesPerIssuedCertificate: number;
  };
}

const window = (lines: number): TrafficOptions => ({
  seed: 2026,
  start: new Date('2026-11-28T00:00:00Z'),
  end: new Date('2026-11-29T00:00:00Z'),
  lines,
});

function stored(type: 'ocsp' | 'acme', items: Iterable<unknown>): string[] {
  const out: string[] = [];
  let lineNo = 0;
  for (const item of items) {
    const line = { lineNo: ++lineNo, bytes: Buffer.from(JSON.stringify(item)) };
    // ingested at the window's end, inside the plausibility window
    const context = { source: 'bench', now: window(0).end.getTime() };
    const result = validateLine(type, line, FIREHOSE.maxRecordBytes, context);
    if (!result || 'rejected' in result)
      throw new Error(`generated ${type} line ${lineNo} was rejected`);
    out.push(result.accepted.text);
  }
  return out;
}

function sample(lines: string[]): LineSample {
  const raw = Buffer.from(lines.join(''));
  const packer = new Packer();
  const records = lines.flatMap((text, i) => packer.add({ lineNo: i + 1, text })).flat();
  records.push(...packer.drain().flat());
  const packedBilled = records.reduce((n, r) => n + billedBytes(r.data.length), 0);
  const naiveBilled = lines.reduce((n, l) => n + billedBytes(Buffer.byteLength(l)), 0);
  return {
    lines: lines.length,
    bytesPerLine: raw.length / lines.length,
    gzipRatio: gzipSync(raw).length / raw.length,
    packedBilledRatio: packedBilled / raw.length,
    bytesPerPackedRecord: raw.length / records.length,
    naiveBilledRatio: naiveBilled / raw.length,
  };
}

/** Measures both log types; about two seconds. */
export function measure(ocspLines = 20_000, acmeLines = 8_000): Measured {
  const acmeItems = [...acmeTraffic(window(acmeLines))];
  const issued = acmeItems.filter((e) => e.endpoint === 'cert' && e.status === 200).length;
  return {
    ocsp: sample(stored('ocsp', ocspTraffic(window(ocspLines)))),
    acme: {
      ...sample(stored('acme', acmeItems)),
      linesPerIssuedCertificate: acmeLines / issued,
    },
  };
}
