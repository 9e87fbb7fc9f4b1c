import { NoiseSettings } from './accounting';
import { BoundedCount, CertificateId } from './bounding';
import { sampleDiscreteGaussian } from './discrete-noise';
import { RandomSource, cryptoRandom } from './random-source';

/**
 * The noisy counts of one day: every bounded count gets its own discrete
 * Gaussian noise, and a certificate is published only when its noisy count
 * reaches the threshold. Suppression looks at the noisy count only: deciding
 * on the true count (as k-anonymity does) would make "published or not" an
 * exact, noise-free fact about the clients.
 */

export interface NoisyCount extends CertificateId {
  readonly noisyRequests: number;
}

export interface DayRelease {
  /** Certificates whose noisy count reached the threshold, in input order. */
  readonly published: NoisyCount[];
  /** Certificates with a bounded count whose noisy count fell below the threshold. */
  readonly suppressed: number;
}

export function releaseCounts(
  counts: Iterable<BoundedCount>,
  settings: Pick<NoiseSettings, 'noiseVariance' | 'threshold'>,
  random: RandomSource = cryptoRandom,
): DayRelease {
  const variance = BigInt(settings.noiseVariance);
  const published: NoisyCount[] = [];
  let suppressed = 0;
  for (const count of counts) {
    const noisy = BigInt(count.boundedRequests) + sampleDiscreteGaussian(random, variance);
    if (noisy < BigInt(settings.threshold)) {
      suppressed++;
      continue;
    }
    published.push({
      issuerKeyHash: count.issuerKeyHash,
      serial: count.serial,
      noisyRequests: Number(noisy),
    });
  }
  return { published, suppressed };
}
