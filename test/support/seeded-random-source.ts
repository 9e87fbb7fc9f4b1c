import { seededRandom } from '../../core/traffic';
import { RandomSource } from '../../core/analytics/publication/random-source';

/**
 * A deterministic RandomSource, ONLY for statistical tests of the noise: with
 * the CSPRNG such a test passes with overwhelming probability, with this it
 * gives the same verdict on every run. Production code never sees it
 * (prepareRelease defaults to the CSPRNG). Uniform by rejection over whole
 * 32-bit words of sfc32, like the CSPRNG source, so no modulo bias.
 */
export function seededRandomSource(seed: number): RandomSource {
  const next = seededRandom(seed);
  const word = () => BigInt(Math.floor(next() * 2 ** 32));
  return {
    below(n: bigint): bigint {
      if (n < 1n) throw new RangeError(`below(n) needs n >= 1, got ${n}`);
      const bits = (n - 1n).toString(2).length;
      const words = Math.ceil(bits / 32);
      const mask = (1n << BigInt(bits)) - 1n;
      for (;;) {
        let candidate = 0n;
        for (let i = 0; i < words; i++) candidate = (candidate << 32n) | word();
        candidate &= mask;
        if (candidate < n) return candidate;
      }
    },
  };
}
