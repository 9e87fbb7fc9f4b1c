import { seededRandom } from '../../../../core/traffic';
import {
  BoundedCount,
  ClientRequests,
  ContributionBounds,
  boundContributions,
  countPerClient,
} from '../../../../core/analytics/publication';

const ISSUER = 'ab'.repeat(20);
const ask = (clientIp: string, serial: string, requests = 1): ClientRequests => ({
  issuerKeyHash: ISSUER,
  serial,
  clientIp,
  requests,
});
const bounded = (rows: ClientRequests[], bounds: ContributionBounds) =>
  Object.fromEntries(boundContributions(rows, bounds).map((c) => [c.serial, c.boundedRequests]));
const loose = { perClient: 1000, perPrefix: 1000, certificatesPerPrefix: 1000 };

describe('contribution bounding', () => {
  it('counts at most C requests of one address toward a certificate', () => {
    const rows = [ask('192.0.2.1', 'a', 10), ask('198.51.100.1', 'a', 2)];
    expect(bounded(rows, { ...loose, perClient: 1 })).toEqual({ a: 2 });
    expect(bounded(rows, { ...loose, perClient: 3 })).toEqual({ a: 5 });
  });

  it('counts at most P toward a certificate from all addresses of one /24 or /48', () => {
    const rows = [
      ...Array.from({ length: 9 }, (_, h) => ask(`192.0.2.${h + 1}`, 'a')),
      // Nine made-up addresses of one /64 (the issue's padding), and one more /64 of the /48.
      ...Array.from({ length: 9 }, (_, h) => ask(`2001:db8:1:2::${h + 1}`, 'b')),
      ask('2001:db8:1:ffff::1', 'b'),
      ask('192.0.3.1', 'a'),
    ];
    expect(bounded(rows, { ...loose, perPrefix: 1 })).toEqual({ a: 2, b: 1 });
    expect(bounded(rows, { ...loose, perPrefix: 4 })).toEqual({ a: 5, b: 4 });
  });

  it('keeps a prefix in at most K certificates, its largest contributions first', () => {
    const rows = [
      ask('192.0.2.1', 'big', 5),
      ...Array.from({ length: 30 }, (_, i) => ask('192.0.2.2', `small-${i}`)),
    ];
    const counts = bounded(rows, { perClient: 5, perPrefix: 5, certificatesPerPrefix: 4 });
    expect(counts.big).toBe(5);
    expect(Object.keys(counts)).toHaveLength(4);
  });

  it('breaks ties per prefix, so every certificate is kept by some prefixes', () => {
    // 200 prefixes each asking once about the same 20 certificates, K = 5.
    const serials = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const rows = Array.from({ length: 200 }, (_, p) =>
      serials.map((s) => ask(`10.${p >> 8}.${p & 0xff}.1`, s)),
    ).flat();
    const counts = bounded(rows, { perClient: 1, perPrefix: 1, certificatesPerPrefix: 5 });
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(200 * 5);
    // A fixed order would give 5 certificates 200 each and the rest nothing.
    for (const s of serials) expect(counts[s]).toBeGreaterThan(20);
  });

  it('is the same for every spelling of the same address', () => {
    const spelt = countPerClient(
      [
        '2A06:B318:1215:718:6EA::51F',
        '2a06:b318:1215:0718:06ea:0000:0000:051f',
        '2a06:b318:1215:718:6ea::51f',
        '::ffff:192.0.2.9',
        '192.0.2.9',
      ].map((client_ip) => ({ issuer_key_hash: ISSUER, serial: 'a', client_ip })),
    );
    expect(spelt.rows.map((r) => [r.clientIp, r.requests])).toEqual([
      ['2a06:b318:1215:718:6ea::51f', 3],
      ['192.0.2.9', 2],
    ]);
  });

  it('leaves out, and counts, records whose address is not an address', () => {
    const { rows, unattributable } = countPerClient(
      ['01.2.3.4', 'fe80::1%eth0', '', '192.0.2.1'].map((client_ip) => ({
        issuer_key_hash: ISSUER,
        serial: 'a',
        client_ip,
      })),
    );
    expect(unattributable).toBe(3);
    expect(rows).toEqual([ask('192.0.2.1', 'a')]);
  });
});

describe('the sensitivity the noise is calibrated to', () => {
  /** A random day: 40 prefixes, a few addresses each, 30 certificates. */
  function randomDay(rng: () => number, prefixes: number[]): ClientRequests[] {
    return prefixes.flatMap((p) =>
      Array.from({ length: 1 + Math.floor(rng() * 4) }, (_, h) =>
        Array.from({ length: 1 + Math.floor(rng() * 25) }, () =>
          ask(`10.0.${p}.${h + 1}`, `c${Math.floor(rng() ** 2 * 30)}`, 1 + Math.floor(rng() * 4)),
        ),
      ).flat(),
    );
  }
  const byCertificate = (counts: BoundedCount[]) =>
    new Map(counts.map((c) => [c.serial, c.boundedRequests]));

  it('adding one prefix changes at most K counts, each by at most P, never downwards', () => {
    const bounds = { perClient: 2, perPrefix: 3, certificatesPerPrefix: 4 };
    const rng = seededRandom(16);
    let changedCounts = 0;
    for (let trial = 0; trial < 300; trial++) {
      const day = randomDay(
        rng,
        Array.from({ length: 40 }, (_, p) => p),
      );
      const target = randomDay(rng, [200]);
      const without = byCertificate(boundContributions(day, bounds));
      const withTarget = byCertificate(boundContributions([...day, ...target], bounds));
      const changes = [...withTarget].map(([serial, n]) => n - (without.get(serial) ?? 0));
      expect([...without.keys()].every((s) => withTarget.has(s))).toBe(true);
      expect(changes.filter((d) => d !== 0).length).toBeLessThanOrEqual(
        bounds.certificatesPerPrefix,
      );
      expect(Math.min(...changes)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...changes)).toBeLessThanOrEqual(bounds.perPrefix);
      changedCounts += changes.filter((d) => d !== 0).length;
    }
    // The target did change counts, up to the bound, in most trials.
    expect(changedCounts).toBeGreaterThan(300 * 3);
  });
});
