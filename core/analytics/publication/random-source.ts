import { randomBytes, randomInt } from 'node:crypto';

/**
 * Uniform integers, the only randomness the noise samplers use. Production
 * draws from the operating system's CSPRNG ({@link cryptoRandom}); a test may
 * inject a seeded source to make a statistical check deterministic.
 */
export interface RandomSource {
  /** A uniform integer in [0, n); n >= 1. */
  below(n: bigint): bigint;
}

/** crypto.randomInt takes ranges below 2^48; larger ones go through randomBytes. */
const RANDOM_INT_RANGE = 2n ** 48n;

export const cryptoRandom: RandomSource = {
  below(n: bigint): bigint {
    if (n < 1n) throw new RangeError(`below(n) needs n >= 1, got ${n}`);
    if (n < RANDOM_INT_RANGE) return BigInt(randomInt(Number(n)));
    return belowByRejection(n);
  },
};

/** Uniform in [0, n) by rejection from whole random bytes: exact, no modulo bias. */
function belowByRejection(n: bigint): bigint {
  const bits = (n - 1n).toString(2).length;
  const bytes = Math.ceil(bits / 8);
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    const candidate = BigInt(`0x${randomBytes(bytes).toString('hex')}`) & mask;
    if (candidate < n) return candidate;
  }
}
