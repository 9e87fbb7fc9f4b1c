import {
  DayNotFinalError,
  PUBLICATION_PARAMETERS,
  PUBLISHED_COLUMNS,
  assertFinal,
  prepareRelease,
  publicationMetadata,
  publicationParametersSchema,
  publicationWindow,
} from '../../../../core/analytics/publication';
import { releaseFactsSchema } from '../../../../core/analytics/publication/metadata';
import { seededRandomSource } from '../../../support/seeded-random-source';

const ISSUER = 'ef'.repeat(20);

describe('when a day is final', () => {
  it('reads the day plus the lateness window, and is final a Firehose buffer after it', () => {
    expect(publicationWindow('2026-11-20', 24)).toEqual({
      firstHour: '2026/11/19/23',
      lastHour: '2026/11/21/23',
      arrivedBefore: new Date('2026-11-22T00:00:00.000Z'),
      finalAt: new Date('2026-11-22T00:15:00.000Z'),
    });
    expect(publicationWindow('2026-12-31', 1).lastHour).toBe('2027/01/01/00');
  });

  it('refuses before finalAt, naming when the day becomes final', () => {
    const justBefore = new Date('2026-11-22T00:14:59.999Z');
    expect(() => assertFinal('2026-11-20', justBefore, 24)).toThrow(DayNotFinalError);
    expect(() => assertFinal('2026-11-20', justBefore, 24)).toThrow(
      '2026-11-20 is not final until 2026-11-22T00:15:00.000Z',
    );
    expect(assertFinal('2026-11-20', new Date('2026-11-22T00:15:00.000Z'), 24).lastHour).toBe(
      '2026/11/21/23',
    );
    expect(() => assertFinal('2026-02-30', new Date(), 24)).toThrow(/not a day/);
  });
});

describe('publication parameters', () => {
  it('accepts the production parameters', () => {
    expect(publicationParametersSchema.parse(PUBLICATION_PARAMETERS)).toEqual(
      PUBLICATION_PARAMETERS,
    );
  });

  it.each([
    [{ epsilon: 0 }, ['epsilon'], /greater than 0|>0/],
    [{ epsilon: 20 }, ['epsilon'], /protects nobody/],
    [{ delta: 1e-3 }, ['delta'], /at most 1e-6/],
    [{ perClient: 2, perPrefix: 1 }, ['perClient'], /cannot exceed perPrefix/],
    [{ certificatesPerPrefix: 0.5 }, ['certificatesPerPrefix'], /./],
    [{ latenessHours: 100 }, ['latenessHours'], /raw logs/],
  ])('refuses %j at the field, saying why', (change, path, message) => {
    const result = publicationParametersSchema.safeParse({ ...PUBLICATION_PARAMETERS, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(path);
    expect(result.error!.issues[0].message).toMatch(message);
  });
});

describe('a prepared release', () => {
  const counts = [
    { issuerKeyHash: ISSUER, serial: '0b', boundedRequests: 5000 },
    { issuerKeyHash: ISSUER, serial: '0a', boundedRequests: 4000 },
    { issuerKeyHash: ISSUER, serial: '0c', boundedRequests: 3 },
  ];
  const now = new Date('2026-11-22T03:15:00.000Z');
  const release = prepareRelease('2026-11-20', counts, PUBLICATION_PARAMETERS, {
    now,
    random: seededRandomSource(7),
  });
  const lines = release.body.split('\r\n');

  it('is a CSV of noisy counts in certificate order, suppressed rows left out', () => {
    expect(lines[0]).toBe(PUBLISHED_COLUMNS.map((c) => c.name).join(','));
    expect(lines.slice(1, 3).map((l) => l.split(',').slice(0, 3))).toEqual([
      ['2026-11-20', '0a', ISSUER],
      ['2026-11-20', '0b', ISSUER],
    ]);
    expect(lines).toHaveLength(4); // header, two rows, the empty string after the last CRLF
    const noisy = lines.slice(1, 3).map((l) => Number(l.split(',')[3]));
    expect(Math.abs(noisy[0] - 4000)).toBeLessThan(200);
    expect(Math.abs(noisy[1] - 5000)).toBeLessThan(200);
    expect(noisy).not.toEqual([4000, 5000]);
    expect(release.suppressed).toBe(1);
  });

  it('carries facts that fit in S3 user metadata and yield the metadata', () => {
    expect(releaseFactsSchema.parse(release.facts)).toEqual(release.facts);
    expect(Buffer.byteLength(JSON.stringify(release.facts))).toBeLessThan(2048);
    const metadata = publicationMetadata(release.facts, release.body);
    expect(metadata).toMatchObject({
      day: '2026-11-20',
      final: true,
      rows: 2,
      finalAt: '2026-11-22T00:15:00.000Z',
      recordsArrivedBefore: '2026-11-22T00:00:00.000Z',
      publishedAt: now.toISOString(),
      privacy: {
        epsilon: 1,
        delta: 1e-7,
        noiseVariance: 417,
        threshold: 124,
        prefixLengths: { ipv4: 24, ipv6: 48 },
        bounds: { perClient: 1, perPrefix: 1, certificatesPerPrefix: 16 },
      },
    });
    expect(metadata.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
