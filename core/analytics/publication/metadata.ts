import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CONTRIBUTION_PREFIX_LENGTH } from '../../ip';
import { PUBLISHED_COLUMNS } from '../../ingest/schemas/published-ocsp-cert-daily';

/**
 * What a published day says about itself (`_metadata.json` beside the data;
 * Athena skips files starting with `_`). It is a pure function of the data
 * object and the release facts stored on that object, so a run that died
 * between the two writes rebuilds the very same sidecar instead of drawing
 * new noise.
 */

const isoInstant = z.iso.datetime({ offset: false });

/** Facts of one release, stored as the data object's user metadata (S3 allows 2 KB). */
export const releaseFactsSchema = z.strictObject({
  day: z.iso.date(),
  rows: z.number().int().min(0),
  publishedAt: isoInstant,
  arrivedBefore: isoInstant,
  finalAt: isoInstant,
  epsilon: z.number().positive(),
  delta: z.number().positive(),
  rho: z.number().positive(),
  perClient: z.number().int().positive(),
  perPrefix: z.number().int().positive(),
  certificatesPerPrefix: z.number().int().positive(),
  noiseVariance: z.number().int().positive(),
  threshold: z.number().int(),
});
export type ReleaseFacts = z.infer<typeof releaseFactsSchema>;

export { PUBLISHED_COLUMNS };

export function publicationMetadata(facts: ReleaseFacts, body: string) {
  return {
    dataset: 'ocsp_cert_daily',
    day: facts.day,
    final: true,
    publishedOnce:
      'this day is final: it is published once and never replaced, corrected or republished',
    publishedAt: facts.publishedAt,
    finalAt: facts.finalAt,
    recordsArrivedBefore: facts.arrivedBefore,
    rows: facts.rows,
    sha256: createHash('sha256').update(body, 'utf8').digest('hex'),
    columns: PUBLISHED_COLUMNS,
    privacy: {
      definition: '(epsilon, delta)-differential privacy, one unit added or removed',
      unit: 'every OCSP request of one network prefix on this UTC day',
      prefixLengths: { ipv4: CONTRIBUTION_PREFIX_LENGTH[4], ipv6: CONTRIBUTION_PREFIX_LENGTH[6] },
      epsilon: facts.epsilon,
      delta: facts.delta,
      rho: facts.rho,
      mechanism:
        'discrete Gaussian noise (Canonne, Kamath, Steinke 2020), sampled exactly with integer ' +
        'arithmetic from the operating system CSPRNG',
      noiseVariance: facts.noiseVariance,
      bounds: {
        perClient: facts.perClient,
        perPrefix: facts.perPrefix,
        certificatesPerPrefix: facts.certificatesPerPrefix,
      },
      threshold: facts.threshold,
      suppression:
        'certificates whose noisy count is below threshold are left out, decided on the noisy count only',
      composition: 'epsilon and delta are per day; days compose (zCDP: rho adds up over days)',
    },
  };
}
export type PublicationMetadata = ReturnType<typeof publicationMetadata>;
