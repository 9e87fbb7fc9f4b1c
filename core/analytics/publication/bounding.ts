import { crc32 } from 'node:zlib';
import { InvalidIpError, canonicalIp, contributionPrefix } from '../../ip';

/**
 * Contribution bounding, the reference implementation of
 * sql/jobs/ocsp-cert-daily-bounded.sql (test/core/analytics/publication
 * proves the two equal on Trino). For one day:
 * 1. a client address counts at most `perClient` requests toward a certificate;
 * 2. a network prefix (core/ip: IPv4 /24, IPv6 /48) at most `perPrefix`, its
 *    addresses' bounded requests summed first;
 * 3. a prefix counts toward at most `certificatesPerPrefix` certificates: the
 *    ones it counts most toward, ties broken by CRC-32(prefix, certificate)
 *    so that no certificate wins every tie across prefixes.
 * Every step looks at one prefix's own requests only, so adding or removing
 * a prefix changes at most K counts by at most P each: the sensitivity the
 * noise is calibrated to (accounting.ts).
 */

export interface ContributionBounds {
  /** C: requests one client address counts toward one certificate-day. */
  readonly perClient: number;
  /** P: requests one network prefix counts toward one certificate-day. */
  readonly perPrefix: number;
  /** K: certificates one network prefix counts toward per day. */
  readonly certificatesPerPrefix: number;
}

/** One certificate as OCSP names it. */
export interface CertificateId {
  readonly issuerKeyHash: string;
  readonly serial: string;
}

/** Requests one client address made about one certificate in the day (SQL step `per_client`). */
export interface ClientRequests extends CertificateId {
  /** Canonical text (core/ip), as countPerClient gives it: one spelling per address. */
  readonly clientIp: string;
  readonly requests: number;
}

export interface BoundedCount extends CertificateId {
  readonly boundedRequests: number;
}

/** The fields of a stored OCSP request the bounding reads. */
export interface OcspRequestFields {
  readonly issuer_key_hash: string;
  readonly serial: string;
  readonly client_ip: string;
}

/**
 * Requests per (certificate, canonical client address) of one day's
 * records. Records whose address is not a valid IP cannot be bounded and
 * are left out, counted in `unattributable`.
 */
export function countPerClient(records: Iterable<OcspRequestFields>): {
  rows: ClientRequests[];
  unattributable: number;
} {
  const counts = new Map<string, ClientRequests>();
  let unattributable = 0;
  for (const record of records) {
    let clientIp: string;
    try {
      clientIp = canonicalIp(record.client_ip);
    } catch (error) {
      if (!(error instanceof InvalidIpError)) throw error;
      unattributable++;
      continue;
    }
    const key = `${record.issuer_key_hash} ${record.serial} ${clientIp}`;
    const row = counts.get(key);
    counts.set(key, {
      issuerKeyHash: record.issuer_key_hash,
      serial: record.serial,
      clientIp,
      requests: (row?.requests ?? 0) + 1,
    });
  }
  return { rows: [...counts.values()], unattributable };
}

/** Small integer ids for certificates, so per-prefix sums are keyed by numbers. */
class CertificateIds {
  private readonly ids = new Map<string, Map<string, number>>();
  readonly all: CertificateId[] = [];

  idOf({ issuerKeyHash, serial }: CertificateId): number {
    let bySerial = this.ids.get(issuerKeyHash);
    if (!bySerial) this.ids.set(issuerKeyHash, (bySerial = new Map()));
    let id = bySerial.get(serial);
    if (id === undefined) {
      bySerial.set(serial, (id = this.all.length));
      this.all.push({ issuerKeyHash, serial });
    }
    return id;
  }
}

/** Bounded requests per certificate; certificates every prefix dropped are absent. */
export function boundContributions(
  rows: Iterable<ClientRequests>,
  bounds: ContributionBounds,
): BoundedCount[] {
  const certificates = new CertificateIds();
  // Per prefix: certificate id -> requests of the prefix's addresses, each address bounded by C.
  const byPrefix = new Map<string, Map<number, number>>();
  // Each address's prefix's sums, looked up once per address rather than per row.
  const sumsOfAddress = new Map<string, Map<number, number>>();
  for (const row of rows) {
    let sums = sumsOfAddress.get(row.clientIp);
    if (!sums) {
      const prefix = contributionPrefix(row.clientIp);
      sums = byPrefix.get(prefix) ?? new Map<number, number>();
      byPrefix.set(prefix, sums);
      sumsOfAddress.set(row.clientIp, sums);
    }
    const id = certificates.idOf(row);
    sums.set(id, (sums.get(id) ?? 0) + Math.min(row.requests, bounds.perClient));
  }

  const totals = new Float64Array(certificates.all.length);
  for (const [prefix, sums] of byPrefix) {
    const capped = [...sums].map(([id, sum]) => ({
      certificate: certificates.all[id],
      id,
      contribution: Math.min(sum, bounds.perPrefix),
    }));
    for (const kept of busiest(prefix, capped, bounds.certificatesPerPrefix))
      totals[kept.id] += kept.contribution;
  }
  return certificates.all.flatMap((certificate, id) =>
    totals[id] > 0 ? [{ ...certificate, boundedRequests: totals[id] }] : [],
  );
}

interface Contribution {
  readonly certificate: CertificateId;
  readonly id: number;
  readonly contribution: number;
}

/**
 * The K certificates a prefix keeps: largest contribution first, then the
 * smallest CRC-32 of "prefix issuer serial" (a per-prefix shuffle, so no
 * certificate wins every tie), then issuer and serial (SQL: `ranked`).
 * Selected by cut-off values rather than sorted entries: a prefix behind a
 * carrier-grade NAT asks about tens of thousands of certificates a day.
 */
function busiest(prefix: string, entries: Contribution[], k: number): Contribution[] {
  if (entries.length <= k) return entries;
  const cut = kthSmallest(
    entries.map((e) => -e.contribution),
    k,
  );
  const above = entries.filter((e) => -e.contribution < cut);
  const tied = entries
    .filter((e) => -e.contribution === cut)
    .map((entry) => {
      const { issuerKeyHash, serial } = entry.certificate;
      return { entry, crc: crc32(`${prefix} ${issuerKeyHash} ${serial}`) };
    });
  const wanted = k - above.length;
  const limit = kthSmallest(
    tied.map((t) => t.crc),
    wanted,
  );
  const below = tied.filter((t) => t.crc < limit);
  const atLimit = tied
    .filter((t) => t.crc === limit)
    .sort(
      (a, b) =>
        compareText(a.entry.certificate.issuerKeyHash, b.entry.certificate.issuerKeyHash) ||
        compareText(a.entry.certificate.serial, b.entry.certificate.serial),
    )
    .slice(0, wanted - below.length);
  return [...above, ...below.map((t) => t.entry), ...atLimit.map((t) => t.entry)];
}

/** The k-th smallest of some numbers (k >= 1), by a native typed-array sort. */
const kthSmallest = (values: number[], k: number) => Float64Array.from(values).sort()[k - 1];

/** Code-unit order, as SQL orders varchar. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
