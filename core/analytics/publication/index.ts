export { type NoiseSettings, type PrivacyGuarantee, calibrate, guaranteeAt } from './accounting';
export {
  type BoundedCount,
  type ClientRequests,
  type ContributionBounds,
  boundContributions,
  countPerClient,
} from './bounding';
export { boundedCountsOf, boundedCountsSql } from './bounded-counts-sql';
export { DayNotFinalError, assertFinal, publicationWindow } from './finality';
export {
  PUBLISHED_COLUMNS,
  type PublicationMetadata,
  type ReleaseFacts,
  publicationMetadata,
} from './metadata';
export {
  PUBLICATION_PARAMETERS,
  type PublicationParameters,
  publicationParametersSchema,
} from './parameters';
export { type PreparedRelease, prepareRelease } from './prepare';
export { type RandomSource, cryptoRandom } from './random-source';
export { type DayRelease, type NoisyCount, releaseCounts } from './release';
export {
  type PublishOutcome,
  RepublicationRefusedError,
  publicationLayout,
  publishOnce,
} from './writer';
