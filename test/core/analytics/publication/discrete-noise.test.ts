import {
  bernoulliExp,
  sampleDiscreteGaussian,
  sampleDiscreteLaplace,
} from '../../../../core/analytics/publication/discrete-noise';
import { cryptoRandom } from '../../../../core/analytics/publication/random-source';
import { seededRandomSource } from '../../../support/seeded-random-source';

/**
 * The samplers against their exact distributions. Draws come from a seeded
 * source (test/support/seeded-random-source.ts, used for statistics only) so
 * each verdict is the same on every run; the tolerance is five binomial
 * standard deviations per value, which a sampler off by a few percent in
 * scale exceeds by far at these sample sizes.
 */

/** Every value with an expected count of at least 20 is within 5 standard deviations. */
function expectMatches(samples: bigint[], pmf: (y: number) => number, support: number) {
  const n = samples.length;
  const counts = new Map<number, number>();
  for (const s of samples) counts.set(Number(s), (counts.get(Number(s)) ?? 0) + 1);
  const checked: number[] = [];
  const outside: string[] = [];
  for (let y = -support; y <= support; y++) {
    const expected = n * pmf(y);
    if (expected < 20) continue;
    const tolerance = 5 * Math.sqrt(expected * (1 - pmf(y)));
    const count = counts.get(y) ?? 0;
    if (Math.abs(count - expected) > tolerance)
      outside.push(
        `${y}: ${count} drawn, ${expected.toFixed(0)} ± ${tolerance.toFixed(0)} expected`,
      );
    checked.push(y);
  }
  expect(outside).toEqual([]);
  expect(checked.length).toBeGreaterThan(4);
}

const draw = (n: number, sample: () => bigint) => Array.from({ length: n }, sample);

describe('Bernoulli(exp(-γ)) with integer arithmetic', () => {
  it.each([
    [0, 1],
    [1, 2],
    [1, 1],
    [5, 2],
    [7, 3],
  ])('is true with probability exp(-%i/%i)', (numerator, denominator) => {
    const [num, den] = [BigInt(numerator), BigInt(denominator)];
    const random = seededRandomSource(numerator * 10 + denominator);
    const n = 40_000;
    let hits = 0;
    for (let i = 0; i < n; i++) if (bernoulliExp(random, num, den)) hits++;
    const p = Math.exp(-Number(num) / Number(den));
    expect(Math.abs(hits - n * p)).toBeLessThanOrEqual(5 * Math.sqrt(n * p * (1 - p)) + 1);
  });

  it('refuses a negative exponent or a zero denominator', () => {
    expect(() => bernoulliExp(cryptoRandom, -1n, 1n)).toThrow(RangeError);
    expect(() => bernoulliExp(cryptoRandom, 1n, 0n)).toThrow(RangeError);
  });
});

describe('discrete Laplace', () => {
  const seeded = seededRandomSource(2);

  it('has P(y) proportional to exp(-|y|/t)', () => {
    const t = 3;
    const alpha = Math.exp(-1 / t);
    const samples = draw(60_000, () => sampleDiscreteLaplace(seeded, BigInt(t)));
    expectMatches(samples, (y) => ((1 - alpha) / (1 + alpha)) * alpha ** Math.abs(y), 40);
  });

  it('refuses a scale below 1', () => {
    expect(() => sampleDiscreteLaplace(cryptoRandom, 0n)).toThrow(/scale must be >= 1/);
  });
});

describe('discrete Gaussian', () => {
  const pmf = (variance: number) => {
    const weight = (y: number) => Math.exp((-y * y) / (2 * variance));
    let total = 0;
    for (let y = -40 * Math.sqrt(variance); y <= 40 * Math.sqrt(variance); y++)
      total += weight(Math.round(y));
    return (y: number) => weight(y) / total;
  };

  it.each([1, 4, 10])('has P(y) proportional to exp(-y²/(2·%i))', (variance) => {
    const random = seededRandomSource(variance);
    const samples = draw(60_000, () => sampleDiscreteGaussian(random, BigInt(variance)));
    expectMatches(samples, pmf(variance), 10 * Math.ceil(Math.sqrt(variance)));
  });

  it('has mean 0 and variance σ² at the production variance (417)', () => {
    const random = seededRandomSource(417);
    const samples = draw(20_000, () => sampleDiscreteGaussian(random, 417n)).map(Number);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length;
    // Standard errors: sqrt(417/20000) = 0.14 for the mean, 417·sqrt(2/20000) = 4.2 for the variance.
    expect(Math.abs(mean)).toBeLessThan(5 * 0.145);
    expect(Math.abs(variance - 417)).toBeLessThan(5 * 4.2);
  });

  it('draws from the CSPRNG by default and stays integer-valued', () => {
    const samples = draw(2_000, () => sampleDiscreteGaussian(cryptoRandom, 417n));
    expect(samples.every((s) => typeof s === 'bigint')).toBe(true);
    // 2,000 draws of σ = 20.4 spread over far more than a handful of values.
    expect(new Set(samples).size).toBeGreaterThan(40);
  });

  it('refuses a variance below 1', () => {
    expect(() => sampleDiscreteGaussian(cryptoRandom, 0n)).toThrow(/variance must be >= 1/);
  });
});

describe('the CSPRNG source', () => {
  it('is uniform below small bounds (crypto.randomInt)', () => {
    const n = 60_000;
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < n; i++) counts[Number(cryptoRandom.below(6n))]++;
    // 8 standard deviations: a false alarm once in 10^14 runs.
    const sd = Math.sqrt((n / 6) * (5 / 6));
    for (const count of counts) expect(Math.abs(count - n / 6)).toBeLessThan(8 * sd);
  });

  it('is uniform below bounds beyond crypto.randomInt (2^48 and up, by rejection)', () => {
    const bound = 3n * 2n ** 60n;
    const draws = Array.from({ length: 4_000 }, () => cryptoRandom.below(bound));
    expect(draws.every((d) => d >= 0n && d < bound)).toBe(true);
    // A third of the draws fall in each third of the range.
    const third = draws.filter((d) => d < 2n ** 60n).length;
    expect(Math.abs(third - 4_000 / 3)).toBeLessThan(8 * Math.sqrt(4_000 * (1 / 3) * (2 / 3)));
  });

  it('refuses an empty range', () => {
    expect(() => cryptoRandom.below(0n)).toThrow(/n >= 1/);
  });
});
