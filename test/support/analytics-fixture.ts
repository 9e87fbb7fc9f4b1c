import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { acmeTraffic, ocspTraffic, seededRandom } from '../../core/traffic';
import { AcmeEventRecord, acmeEventInput } from '../../core/ingest/schemas/acme-event';
import { OcspRequestRecord, ocspRequestInput } from '../../core/ingest/schemas/ocsp-request';
import { lineIdOf } from '../../core/ingest/line-id';

/**
 * Realistic traffic for the analytics tests, landed on the stand-in exactly as
 * Firehose lands it, and the numbers every view and job must produce,
 * computed here independently of SQL.
 */

export interface Traffic {
  readonly ocsp: OcspRequestRecord[];
  readonly acme: AcmeEventRecord[];
}

export function generateTraffic(o: {
  seed: number;
  start: Date;
  end: Date;
  ocspLines: number;
  acmeLines: number;
  /** @default 1500: few clients per certificate in the tail, so k-suppression has work */
  certificates?: number;
}): Traffic {
  const base = { seed: o.seed, start: o.start, end: o.end };
  return {
    ocsp: [
      ...ocspTraffic({
        ...base,
        lines: o.ocspLines,
        certificates: o.certificates ?? 1500,
        clients: 4000,
      }),
    ].map((line, i) => ({ ...ocspRequestInput.parse(line), line_id: idOf('ocsp', i, line) })),
    acme: [...acmeTraffic({ ...base, lines: o.acmeLines, certificates: 300, clients: 500 })].map(
      (line, i) => ({ ...acmeEventInput.parse(line), line_id: idOf('acme', i, line) }),
    ),
  };
}

/**
 * A new line identity for a record a test makes by copying another one: the
 * copy is a different request, and analytics count each line_id once.
 */
export const freshLineId = (): string => randomBytes(16).toString('hex');

/** The id the shipper would give line `i` of a file holding these lines. */
const idOf = (type: string, i: number, line: object) =>
  lineIdOf(
    { source: `fixture:${type}`, position: i + 1, bytes: Buffer.from(JSON.stringify(line)) },
    0,
  );

const hourKey = (date: Date) => date.toISOString().slice(0, 13).replace(/[-T]/g, '/');

/**
 * Writes records as Firehose does: one object per delivery under
 * `<prefix>YYYY/MM/dd/HH/` of the arrival hour, JSON lines, no compression.
 * Arrival lags the record by up to `maxLagSeconds`, so records near the end
 * of an hour land in the next hour's partition, as in production.
 */
export async function landAsFirehose(
  s3: S3Client,
  bucket: string,
  prefix: string,
  records: { ts: string }[],
  o: {
    seed: number;
    stream: string;
    maxLagSeconds?: number;
    perObject?: number;
    /** GZIP each object and add `.gz`, as production Firehose does (moto does not). */
    gzip?: boolean;
  },
): Promise<number> {
  const rng = seededRandom(o.seed);
  const byHour = new Map<string, string[]>();
  for (const record of records) {
    const arrival = new Date(Date.parse(record.ts) + rng() * (o.maxLagSeconds ?? 600) * 1000);
    const key = hourKey(arrival);
    byHour.set(key, [...(byHour.get(key) ?? []), JSON.stringify(record)]);
  }
  let objects = 0;
  const puts: Promise<unknown>[] = [];
  for (const [hour, lines] of byHour) {
    for (let i = 0; i < lines.length; i += o.perObject ?? 2000) {
      const stamp = `${hour.replace(/\//g, '-')}-00-${String(i).padStart(2, '0')}`;
      const key = `${prefix}${hour}/${o.stream}-1-${stamp}-${objects.toString(16).padStart(8, '0')}`;
      const body = lines.slice(i, i + (o.perObject ?? 2000)).join('\n') + '\n';
      puts.push(
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: o.gzip ? `${key}.gz` : key,
            Body: o.gzip ? gzipSync(body) : body,
          }),
        ),
      );
      objects++;
    }
  }
  await Promise.all(puts);
  return objects;
}

/** Per-group counters shared by the expected aggregates. */
interface Volume {
  requests: number;
  clients: Set<string>;
  status: Record<OcspRequestRecord['status'], number>;
}

function tally<K>(records: OcspRequestRecord[], keyOf: (r: OcspRequestRecord) => K & string) {
  const groups = new Map<string, Volume & { sample: OcspRequestRecord }>();
  for (const r of records) {
    const key = keyOf(r);
    const g = groups.get(key) ?? {
      requests: 0,
      clients: new Set<string>(),
      status: { good: 0, revoked: 0, unknown: 0, error: 0, unrecorded: 0 },
      sample: r,
    };
    g.requests++;
    g.clients.add(r.client_ip);
    g.status[r.status]++;
    groups.set(key, g);
  }
  return groups;
}

/** Rows as the views render them: strings, in the views' column order. */
const volumeRow = (lead: string[], g: Volume) => [
  ...lead,
  String(g.requests),
  String(g.clients.size),
  String(g.status.good),
  String(g.status.revoked),
  String(g.status.unknown),
  String(g.status.error),
  String(g.status.unrecorded),
];

/** Trino renders timestamp(3) as `YYYY-MM-DD HH:00:00.000`. */
const hourOf = (ts: string) => `${ts.slice(0, 10)} ${ts.slice(11, 13)}:00:00.000`;

export const expected = {
  certVolumeHourly(t: Traffic): string[][] {
    const g = tally(t.ocsp, (r) => `${hourOf(r.ts)}|${r.serial}|${r.issuer_key_hash}`);
    return [...g.values()].map((v) =>
      volumeRow([hourOf(v.sample.ts), v.sample.serial, v.sample.issuer_key_hash], v),
    );
  },

  certVolumeDaily(t: Traffic, day?: string): string[][] {
    const records = day ? t.ocsp.filter((r) => r.ts.startsWith(day)) : t.ocsp;
    const g = tally(records, (r) => `${r.ts.slice(0, 10)}|${r.serial}|${r.issuer_key_hash}`);
    return [...g.values()].map((v) =>
      volumeRow([v.sample.ts.slice(0, 10), v.sample.serial, v.sample.issuer_key_hash], v),
    );
  },

  hourlyTotals(t: Traffic): string[][] {
    const g = tally(t.ocsp, (r) => hourOf(r.ts));
    const certs = new Map<string, Set<string>>();
    const bytes = new Map<string, number>();
    for (const r of t.ocsp) {
      const h = hourOf(r.ts);
      certs.set(h, (certs.get(h) ?? new Set()).add(`${r.issuer_key_hash}|${r.serial}`));
      bytes.set(h, (bytes.get(h) ?? 0) + (r.bytes ?? 0));
    }
    return [...g.entries()].map(([h, v]) => {
      const row = volumeRow([h], v);
      return [h, row[1], row[2], String(certs.get(h)!.size), ...row.slice(3), String(bytes.get(h))];
    });
  },

  /** Rows of ocsp_cert_daily for the day (without the partition column). */
  certDaily(t: Traffic, day: string): string[][] {
    return expected.certVolumeDaily(t, day).map((row) => row.slice(1));
  },

  topCertsDaily(t: Traffic, day: string, n = 100): string[][] {
    return expected
      .certVolumeDaily(t, day)
      .sort(
        (a, b) =>
          Number(b[3]) - Number(a[3]) ||
          (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0) ||
          (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0),
      )
      .slice(0, n)
      .map((row, i) => [row[0], String(i + 1), row[1], row[2], row[3], row[4]]);
  },

  acmeActivityDaily(t: Traffic): string[][] {
    const groups = new Map<string, { row: string[]; n: number; ips: Set<string> }>();
    for (const e of t.acme) {
      const lead = [e.ts.slice(0, 10), e.account_id, e.endpoint, String(e.status)];
      const key = lead.join('|');
      const g = groups.get(key) ?? { row: lead, n: 0, ips: new Set<string>() };
      g.n++;
      g.ips.add(e.source_ip);
      groups.set(key, g);
    }
    return [...groups.values()].map((g) => [...g.row, String(g.n), String(g.ips.size)]);
  },
};

/** Order-insensitive comparison form for result sets. */
export function sorted(rows: (string | null)[][]): string[] {
  return rows.map((row) => JSON.stringify(row.map((v) => (v === null ? null : String(v))))).sort();
}
