/**
 * The top-level key prefixes of the stage's buckets. The key formats below
 * them (hours, days, case ids) belong to the code that writes them.
 */
export const prefixes = {
  /** Raw OCSP requests as Firehose lands them (ocsp-raw). */
  ocsp: 'ocsp/',
  ocspErrors: 'ocsp-errors/',
  /** ACME events: landing as Firehose writes them, the archive under the same keys. */
  acme: 'acme/',
  acmeErrors: 'acme-errors/',
  /**
   * Archived objects that failed validation at sealing, under their landing
   * key (`quarantine/acme/…`): locked like the rest, outside every table's location.
   */
  quarantine: 'quarantine/',
  /** Signed hourly digests of the archive. */
  digests: 'digests/',
  /** Signed, timestamped key rotations, beside the digests they govern. */
  keyTransitions: 'digests/key-transitions/',
  /** RFC 3161 anchors of the chain head, one per digest hour (docs/trust.md). */
  anchors: 'anchors/',
  /** OCSP extracts of the investigations bucket, one prefix per case. */
  cases: 'cases/',
  /**
   * A case's filter values while its extract runs (investigations bucket);
   * `_` never starts a case id, so this is no case's prefix.
   */
  caseFilters: 'cases/_filters/',
  /** A personal-data report's subject while its query runs (query-results bucket). */
  reportSubjects: 'report-subjects/',
  /** Manifests and completion reports of S3 Batch Operations hold jobs (investigations). */
  holdJobs: 'hold-jobs/',
  /** Athena results in the query-results bucket. */
  athenaResults: 'athena/',
  /** The ocsp_cert_daily partitions in the aggregates bucket. */
  ocspCertDaily: 'ocsp_cert_daily/',
  /** The published dataset in the aggregates bucket. */
  publish: 'publish/',
  /** Its per-certificate daily counts: `day=<yyyy-MM-dd>/` below (table published_ocsp_cert_daily). */
  publishedOcspCertDaily: 'publish/ocsp_cert_daily/',
  /** The ocsp_cert_rank_daily partitions (each day's busiest certificates) in the aggregates bucket. */
  ocspCertRankDaily: 'ocsp_cert_rank_daily/',
} as const;

/** A case's extract in the investigations bucket. */
export const casePrefix = (caseId: string) => `${prefixes.cases}${caseId}/`;

/**
 * One extract attempt's output under the case prefix. `token` is new for
 * every start, so two applies that raced, or a query that outlived its
 * attempt, never write where the held attempt writes.
 */
export const extractAttemptPrefix = (caseId: string, attempt: number, token: string) =>
  `${casePrefix(caseId)}attempt-${attempt}-${token}/`;

/** A case's filter values, one sub-prefix per kind of run (`apply`, `dry-run`). */
export const caseFiltersPrefix = (caseId: string, run?: 'apply' | 'dry-run') =>
  `${prefixes.caseFilters}${caseId}/${run ? `${run}/` : ''}`;

/** One personal-data report's subject. */
export const reportSubjectPrefix = (runId: string) => `${prefixes.reportSubjects}${runId}/`;

/**
 * A stage's anchors in the witness bucket of the separate account (docs/trust.md,
 * "Publication"): one bucket may witness several stages, so the stage leads.
 */
export const witnessAnchorPrefix = (stage: string) => `${stage}/${prefixes.anchors}`;
