import { seededRandom } from '../../core/traffic';
import { ClientRequests } from '../../core/analytics/publication/bounding';
import { canonicalIp } from '../../core/ip';

/**
 * One synthetic day of OCSP traffic at production scale, generated straight
 * into per-(certificate, client) request counts: the skew of
 * local/traffic.ts (certificate popularity Zipf 1.1, client activity Zipf
 * 0.8, a fifth of clients on IPv6) with clients grouped into networks whose
 * sizes are Zipf 1.0 (a few ISP or carrier-grade NAT pools with thousands
 * of addresses, most networks with one to a few). Certificates and clients
 * are drawn independently for each request, as in local/traffic.ts.
 */
export interface SyntheticDayOptions {
  readonly seed: number;
  readonly requests: number;
  /** At most 2^18. */
  readonly certificates: number;
  /** At most 2^20. */
  readonly clients: number;
  /** Networks (IPv4 /24 or IPv6 /48) the clients are spread over. */
  readonly networks: number;
}

export interface SyntheticDay {
  readonly rows: ClientRequests[];
  /** Requests per certificate index, before any bounding. */
  readonly trueRequests: Uint32Array;
  readonly serials: readonly string[];
  readonly issuerKeyHash: string;
}

const CERTIFICATE_BITS = 18;
const CLIENT_BITS = 20;

/** Ranks 0..n-1 with P(k) proportional to 1/(k+1)^s: inverse CDF by binary search. */
function zipfSampler(n: number, s: number, rng: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cdf[k] = total += (k + 1) ** -s;
  return () => {
    const u = rng() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cdf[mid] < u) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

/** Client addresses in canonical form, each inside a network drawn by network size. */
function clientAddresses(o: SyntheticDayOptions, rng: () => number): string[] {
  const network = zipfSampler(o.networks, 1.0, rng);
  const hosts = new Map<number, number>();
  return Array.from({ length: o.clients }, () => {
    const n = network();
    const host = (hosts.get(n) ?? 0) + 1;
    hosts.set(n, host);
    // A fifth of networks are IPv6 /48s; the rest IPv4 /24s (NAT pools reuse the 256 addresses).
    const hex = (v: number) => v.toString(16);
    if (n % 5 === 0)
      return canonicalIp(
        `2001:${hex(0x1000 + (n >>> 16))}:${hex(n & 0xffff)}:${hex(host >>> 16)}:${hex(host & 0xffff)}::1`,
      );
    return `${10 + (n >>> 16)}.${(n >>> 8) & 0xff}.${n & 0xff}.${host % 256}`;
  });
}

export function syntheticDay(o: SyntheticDayOptions): SyntheticDay {
  if (o.certificates > 2 ** CERTIFICATE_BITS || o.clients > 2 ** CLIENT_BITS)
    throw new RangeError('too many certificates or clients for the packed keys');
  const rng = seededRandom(o.seed);
  const certificate = zipfSampler(o.certificates, 1.1, rng);
  const client = zipfSampler(o.clients, 0.8, rng);
  const addresses = clientAddresses(o, rng);
  const serials = Array.from({ length: o.certificates }, (_, i) => i.toString(16).padStart(8, '0'));

  // One packed (certificate, client) key per request; sorting groups equal pairs.
  const keys = new Float64Array(o.requests);
  const trueRequests = new Uint32Array(o.certificates);
  for (let i = 0; i < o.requests; i++) {
    const c = certificate();
    trueRequests[c]++;
    keys[i] = c * 2 ** CLIENT_BITS + client();
  }
  keys.sort();

  const issuerKeyHash = 'a'.repeat(40);
  const rows: ClientRequests[] = [];
  for (let i = 0; i < keys.length;) {
    let j = i;
    while (j < keys.length && keys[j] === keys[i]) j++;
    const c = Math.floor(keys[i] / 2 ** CLIENT_BITS);
    const a = keys[i] - c * 2 ** CLIENT_BITS;
    rows.push({ issuerKeyHash, serial: serials[c], clientIp: addresses[a], requests: j - i });
    i = j;
  }
  return { rows, trueRequests, serials, issuerKeyHash };
}
