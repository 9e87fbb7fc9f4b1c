import { toCsv } from '../../csv';
import { calibrate, guaranteeAt } from './accounting';
import { BoundedCount } from './bounding';
import { assertFinal } from './finality';
import { PUBLISHED_COLUMNS, ReleaseFacts } from './metadata';
import { PublicationParameters } from './parameters';
import { RandomSource, cryptoRandom } from './random-source';
import { releaseCounts } from './release';

/** One day's release, ready to write: the CSV body and the facts its metadata is built from. */
export interface PreparedRelease {
  readonly day: string;
  /** RFC 4180 CSV with a header row, certificates in (issuer, serial) order. */
  readonly body: string;
  /** Certificates with a bounded count left out because their noisy count was below the threshold. */
  readonly suppressed: number;
  readonly facts: ReleaseFacts;
}

const byCertificate = (
  a: { issuerKeyHash: string; serial: string },
  b: { issuerKeyHash: string; serial: string },
) =>
  a.issuerKeyHash < b.issuerKeyHash
    ? -1
    : a.issuerKeyHash > b.issuerKeyHash
      ? 1
      : a.serial < b.serial
        ? -1
        : a.serial > b.serial
          ? 1
          : 0;

/**
 * Adds noise to a final day's bounded counts and renders the release.
 * Throws {@link DayNotFinalError} for a day that is not final at `now`.
 * Rows are sorted by certificate so their order carries nothing but the key.
 */
export function prepareRelease(
  day: string,
  counts: Iterable<BoundedCount>,
  parameters: PublicationParameters,
  options: { readonly now: Date; readonly random?: RandomSource },
): PreparedRelease {
  const window = assertFinal(day, options.now, parameters.latenessHours);
  const noise = calibrate(parameters);
  const guarantee = guaranteeAt({ ...parameters, ...noise }, parameters.epsilon);
  const release = releaseCounts(counts, noise, options.random ?? cryptoRandom);
  const rows = [...release.published]
    .sort(byCertificate)
    .map((c) => [day, c.serial, c.issuerKeyHash, String(c.noisyRequests)]);
  return {
    day,
    body: toCsv(
      PUBLISHED_COLUMNS.map((c) => c.name),
      rows,
    ),
    suppressed: release.suppressed,
    facts: {
      day,
      rows: rows.length,
      publishedAt: options.now.toISOString(),
      arrivedBefore: window.arrivedBefore.toISOString(),
      finalAt: window.finalAt.toISOString(),
      epsilon: parameters.epsilon,
      delta: parameters.delta,
      rho: guarantee.rho,
      perClient: parameters.perClient,
      perPrefix: parameters.perPrefix,
      certificatesPerPrefix: parameters.certificatesPerPrefix,
      noiseVariance: noise.noiseVariance,
      threshold: noise.threshold,
    },
  };
}
