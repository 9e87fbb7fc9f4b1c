import type { FunctionName } from './names';

/** Namespace of the metrics logvault's handlers emit (EMF). */
export const METRIC_NAMESPACE = 'Logvault';

/** Dimensions of logvault's own metrics: every one has Stage; per-place ones add Place. */
export type MetricDimension = 'Stage' | 'Place';

export interface MetricDefinition {
  /** Metric name in CloudWatch. */
  readonly name: string;
  /** EMF unit; `None` where CloudWatch has no unit for it (hours). */
  readonly unit: 'Count' | 'None';
  /** The one handler that emits it. */
  readonly emittedBy: FunctionName;
  readonly dimensions: readonly MetricDimension[];
  readonly description: string;
}

const stageMetric = (
  name: string,
  unit: MetricDefinition['unit'],
  emittedBy: FunctionName,
  description: string,
) => ({ name, unit, emittedBy, dimensions: ['Stage'] as const, description });

/**
 * Every metric a handler emits. The handlers emit only these (lambdas/runtime/metrics.ts),
 * lib/monitoring reads them for alarms and the dashboard, and
 * test/lambdas/metrics checks that everything emitted is read.
 */
export const metricDefinitions = {
  daysAggregated: stageMetric(
    'DailyAggregatesWritten',
    'Count',
    'aggregate-daily',
    'One per materialised day; the missed-day alarm watches it.',
  ),
  aggregatedCertificates: stageMetric(
    'AggregatedCertificates',
    'Count',
    'aggregate-daily',
    'Certificates with at least one OCSP request on the aggregated day.',
  ),
  publishedCertificates: stageMetric(
    'PublishedCertificates',
    'Count',
    'aggregate-daily',
    'Rows of the published dataset for the day finalised (0 when already published or refused).',
  ),
  publicationsRefused: stageMetric(
    'PublicationsRefused',
    'Count',
    'aggregate-daily',
    'Final days whose published object was deleted or replaced, so never published again (must be 0).',
  ),
  ocspRecordsAfterFinal: stageMetric(
    'OcspRecordsAfterFinal',
    'Count',
    'aggregate-daily',
    'OCSP records that arrived after their day was final: in no aggregate (must be 0).',
  ),
  ocspRecordsWithoutCertificate: stageMetric(
    'OcspRecordsWithoutCertificate',
    'Count',
    'aggregate-daily',
    'Records of the final day in the OCSP raw bucket with no serial or issuer key hash: records of another type, e.g. ACME events (must be 0).',
  ),
  reconcilerSealedObjects: stageMetric(
    'ReconcilerSealedObjects',
    'Count',
    'seal-reconciler',
    'Objects the reconciler sealed because no event did (should be 0).',
  ),
  sealFailures: stageMetric(
    'SealFailures',
    'Count',
    'seal-reconciler',
    'Landing objects that could not be sealed (conflict, verification failure).',
  ),
  landingOldestObjectAgeHours: stageMetric(
    'LandingOldestObjectAgeHours',
    'None',
    'seal-reconciler',
    'Age in hours of the oldest object left in landing after a reconciler pass.',
  ),
  digestChainBreaks: stageMetric(
    'DigestChainBreaks',
    'Count',
    'seal-digest',
    'Digests or objects the digest function found missing, deleted, written over or unsigned (must be 0).',
  ),
  anchorFailures: stageMetric(
    'AnchorFailures',
    'Count',
    'seal-digest',
    'New chain heads no pinned TSA timestamped: the hour is anchored only by the next one (must be 0).',
  ),
  quarantinedObjects: stageMetric(
    'QuarantinedObjects',
    'Count',
    'seal-digest',
    'Objects the digests just written list under the quarantine prefix: landing objects that failed validation (must be 0).',
  ),
  anchorPublicationFailures: stageMetric(
    'AnchorPublicationFailures',
    'Count',
    'seal-digest',
    'Archive anchors the run could not copy to the witness account: only the account holds them (must be 0).',
  ),
  digestSigningRefused: stageMetric(
    'DigestSigningRefused',
    'Count',
    'seal-digest',
    'Runs that signed nothing because the signing key is not in the bundled published keyring (must be 0).',
  ),
  oldestObjectAgeHours: {
    name: 'OldestObjectAgeHours',
    unit: 'None' as const,
    emittedBy: 'retention-monitor' as const,
    dimensions: ['Stage', 'Place'] as const,
    description: 'Age in hours of the oldest copy (any version) in a watched place.',
  },
  closedCaseExtractObjects: stageMetric(
    'ClosedCaseExtractObjects',
    'None',
    'retention-monitor',
    'Extract objects still stored for cases that are no longer open (must be 0).',
  ),
  orphanedHolds: stageMetric(
    'OrphanedHolds',
    'None',
    'retention-monitor',
    'Versions held that no case covers, plus active-case versions not held (must be 0; `logvault hold repair`).',
  ),
  openCases: stageMetric(
    'OpenCases',
    'None',
    'retention-monitor',
    'Cases of the hold registry that are not released.',
  ),
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof metricDefinitions;

type Dimensions<K extends MetricKey> = (typeof metricDefinitions)[K]['dimensions'][number];

/** One value of one metric, with the Place its definition asks for. */
export type MetricDatum = {
  [K in MetricKey]: { readonly metric: K; readonly value: number } & ('Place' extends Dimensions<K>
    ? { readonly place: string }
    : { readonly place?: never });
}[MetricKey];
