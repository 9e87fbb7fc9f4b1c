import { RandomSource } from './random-source';

/**
 * Exact samplers of integer noise after Canonne, Kamath and Steinke, "The
 * Discrete Gaussian for Differential Privacy" (NeurIPS 2020), Algorithms 1-3.
 * Integer arithmetic only: every probability is a ratio of bigints decided by
 * one uniform integer draw, so no floating-point rounding can leak through
 * the low-order bits of a noisy count (Mironov, CCS 2012).
 */

/** True with probability num/den. */
function bernoulli(random: RandomSource, num: bigint, den: bigint): boolean {
  return random.below(den) < num;
}

/** True with probability exp(-num/den) for 0 <= num/den <= 1 (Algorithm 1, first case). */
function bernoulliExpUpToOne(random: RandomSource, num: bigint, den: bigint): boolean {
  let k = 1n;
  while (bernoulli(random, num, den * k)) k++;
  return k % 2n === 1n;
}

/** True with probability exp(-num/den), num >= 0, den >= 1 (Algorithm 1). */
export function bernoulliExp(random: RandomSource, num: bigint, den: bigint): boolean {
  if (num < 0n || den < 1n) throw new RangeError(`bernoulliExp needs num >= 0, den >= 1`);
  let rest = num;
  // exp(-g) = exp(-1)^floor(g) * exp(-(g - floor(g))): one coin per whole unit.
  while (rest > den) {
    if (!bernoulliExpUpToOne(random, 1n, 1n)) return false;
    rest -= den;
  }
  return bernoulliExpUpToOne(random, rest, den);
}

/** An integer with P(y) proportional to exp(-|y| / scale), scale a positive integer (Algorithm 2). */
export function sampleDiscreteLaplace(random: RandomSource, scale: bigint): bigint {
  if (scale < 1n) throw new RangeError(`discrete Laplace scale must be >= 1, got ${scale}`);
  for (;;) {
    const u = random.below(scale);
    if (!bernoulliExp(random, u, scale)) continue;
    let v = 0n;
    while (bernoulliExp(random, 1n, 1n)) v++;
    const magnitude = u + scale * v;
    const negative = random.below(2n) === 1n;
    if (negative && magnitude === 0n) continue;
    return negative ? -magnitude : magnitude;
  }
}

/** Integer square root (largest r with r^2 <= n). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // The float estimate can be off by one either way for large n.
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/**
 * An integer with P(y) proportional to exp(-y^2 / (2 variance)), variance a
 * positive integer (Algorithm 3: discrete Laplace proposals, each accepted
 * with probability exp(-(|y| - variance/t)^2 / (2 variance))).
 */
export function sampleDiscreteGaussian(random: RandomSource, variance: bigint): bigint {
  if (variance < 1n)
    throw new RangeError(`discrete Gaussian variance must be >= 1, got ${variance}`);
  const t = isqrt(variance) + 1n;
  for (;;) {
    const y = sampleDiscreteLaplace(random, t);
    const magnitude = y < 0n ? -y : y;
    const offset = magnitude * t - variance;
    if (bernoulliExp(random, offset * offset, 2n * variance * t * t)) return y;
  }
}
