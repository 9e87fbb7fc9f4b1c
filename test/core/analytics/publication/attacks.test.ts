import {
  DayNotFinalError,
  PUBLICATION_PARAMETERS,
  boundContributions,
  calibrate,
  countPerClient,
  prepareRelease,
  publicationWindow,
  releaseCounts,
} from '../../../../core/analytics/publication';
import { seededRandomSource } from '../../../support/seeded-random-source';

/**
 * The two attacks of issue 16, run against today's k-anonymous rule (where
 * they succeed) and against the private publication (where they fail).
 * The attacker is a requester who can send OCSP requests from addresses they
 * make up (any number of them in their own IPv6 /64 or /48, or in many
 * networks if they rent them) and who reads every published day.
 *
 * Statistical checks draw noise from a seeded source (for statistics only;
 * production uses the CSPRNG) and use a tolerance from the
 * Dvoretzky-Kiefer-Wolfowitz inequality, which holds for any seed with
 * probability 1 - 2e-9, so they cannot flake and do not depend on the seed.
 */

const ISSUER = 'cd'.repeat(20);
const DAY = '2026-11-20';
const FINAL = publicationWindow(DAY, PUBLICATION_PARAMETERS.latenessHours).finalAt;
const request = (client_ip: string, serial = 'target') => ({
  issuer_key_hash: ISSUER,
  serial,
  client_ip,
});

/** Today's rule (sql/views/published_ocsp_cert_daily.sql): all requests, if >= k distinct addresses. */
function kAnonymous(records: ReturnType<typeof request>[], k = 10): Map<string, number> {
  const bySerial = new Map<string, { requests: number; clients: Set<string> }>();
  for (const r of records) {
    const entry = bySerial.get(r.serial) ?? { requests: 0, clients: new Set<string>() };
    entry.requests++;
    entry.clients.add(r.client_ip);
    bySerial.set(r.serial, entry);
  }
  return new Map(
    [...bySerial].filter(([, e]) => e.clients.size >= k).map(([s, e]) => [s, e.requests]),
  );
}

const NOISE = calibrate(PUBLICATION_PARAMETERS);

/**
 * The private publication's value for the target certificate, or undefined
 * when suppressed: the day's bounded counts through the release step (as
 * prepareRelease runs it, calibration done once for speed).
 */
function privatePublication(records: ReturnType<typeof request>[], seeds: number[]) {
  const counts = boundContributions(countPerClient(records).rows, PUBLICATION_PARAMETERS);
  return seeds.map((seed) => {
    const { published } = releaseCounts(counts, NOISE, seededRandomSource(seed));
    return published.find((c) => c.serial === 'target')?.noisyRequests;
  });
}
const seeds = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

const victim = Array.from({ length: 7 }, () => request('192.0.2.10'));
const madeUpInOneSlash64 = Array.from({ length: 9 }, (_, i) => request(`2001:db8:bad:1::${i + 1}`));
/** Enough networks (200 rented /24s) to get the certificate published whatever the noise. */
const manyNetworks = Array.from({ length: 200 }, (_, i) => request(`10.${i >> 8}.${i & 0xff}.1`));

/**
 * Whether two samples of outputs (undefined = suppressed) could come from an
 * (ε, δ)-DP mechanism on neighbouring inputs, for every event "output >= t"
 * and "suppressed", up to sampling error η (DKW, failure probability 2e-9).
 */
function looksPrivate(
  a: (number | undefined)[],
  b: (number | undefined)[],
  epsilon: number,
  delta: number,
) {
  const eta = Math.sqrt(Math.log(2 / 1e-9) / (2 * Math.min(a.length, b.length)));
  const share = (xs: (number | undefined)[], event: (x: number | undefined) => boolean) =>
    xs.filter(event).length / xs.length;
  const values = [...new Set([...a, ...b].filter((x): x is number => x !== undefined))];
  const events = [
    (x: number | undefined) => x === undefined,
    ...values.map((t) => (x: number | undefined) => x !== undefined && x >= t),
  ];
  return events.every((event) => {
    const [p, q] = [share(a, event), share(b, event)];
    const bound = (r: number) => Math.exp(epsilon) * (r + eta) + delta + eta;
    return p <= bound(q) && q <= bound(p);
  });
}

describe('attack 1: padding with made-up addresses to cross the threshold, then subtracting', () => {
  it("works on today's rule: the victim's exact request count comes out", () => {
    expect(kAnonymous(victim).get('target')).toBeUndefined();
    const published = kAnonymous([...victim, ...madeUpInOneSlash64]).get('target')!;
    expect(published - madeUpInOneSlash64.length).toBe(7);
  });

  it('gains nothing from addresses made up inside one network: they count once', () => {
    const counts = boundContributions(
      countPerClient([...victim, ...madeUpInOneSlash64]).rows,
      PUBLICATION_PARAMETERS,
    );
    expect(counts).toEqual([{ issuerKeyHash: ISSUER, serial: 'target', boundedRequests: 2 }]);
    // And a count of 2 against a threshold of 124 with σ = 20.4 stays suppressed.
    const outputs = privatePublication([...victim, ...madeUpInOneSlash64], seeds(0, 2000));
    expect(outputs.filter((o) => o !== undefined)).toEqual([]);
  });

  it('with padding from 200 networks, the output barely depends on whether the victim asked', () => {
    const trials = 20_000;
    const withVictim = privatePublication([...victim, ...manyNetworks], seeds(0, trials));
    const withoutVictim = privatePublication(manyNetworks, seeds(trials, trials));
    expect(
      looksPrivate(
        withVictim,
        withoutVictim,
        PUBLICATION_PARAMETERS.epsilon,
        PUBLICATION_PARAMETERS.delta,
      ),
    ).toBe(true);
    // The subtraction rarely lands on the victim's (bounded) count, and never tells when it does.
    const exact = withVictim.filter((p) => p !== undefined && p - manyNetworks.length === 1).length;
    expect(exact / trials).toBeLessThan(0.03);
  });

  it("the same check catches today's rule, so it can fail", () => {
    const once = (records: ReturnType<typeof request>[]) => kAnonymous(records).get('target');
    const withVictim = Array.from({ length: 1000 }, () => once([...victim, ...manyNetworks]));
    const withoutVictim = Array.from({ length: 1000 }, () => once(manyNetworks));
    expect(looksPrivate(withVictim, withoutVictim, 1, 1e-7)).toBe(false);
  });
});

describe('attack 2: differencing a partial day against the final one', () => {
  const before = Array.from({ length: 40 }, (_, i) => request(`198.51.100.${i + 1}`));
  const between = Array.from({ length: 7 }, () => request('203.0.113.5'));

  it("works on today's rule: the diff is the in-between client's requests", () => {
    const partial = kAnonymous(before).get('target')!;
    const final = kAnonymous([...before, ...between]).get('target')!;
    expect(final - partial).toBe(7);
  });

  it('refuses a day that is not final: there is no partial version to diff against', () => {
    const counts = boundContributions(countPerClient(before).rows, PUBLICATION_PARAMETERS);
    const attempt = (now: string) => () =>
      prepareRelease(DAY, counts, PUBLICATION_PARAMETERS, { now: new Date(now) });
    expect(attempt(`${DAY}T12:00:00.000Z`)).toThrow(DayNotFinalError);
    expect(attempt('2026-11-21T23:59:59.000Z')).toThrow(/not final until 2026-11-22T00:15:00.000Z/);
    expect(attempt(FINAL.toISOString())).not.toThrow();
  });
  // Publishing a final day a second time is refused by the writer:
  // test/core/analytics/publication/writer.integration.test.ts runs that against S3 (moto).
});
