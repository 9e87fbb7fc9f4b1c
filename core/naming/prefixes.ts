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
  /** Signed hourly digests of the archive. */
  digests: 'digests/',
  /** Signed, timestamped key rotations, beside the digests they govern. */
  keyTransitions: 'digests/key-transitions/',
  /** RFC 3161 anchors of the chain head, one per digest hour (docs/trust.md). */
  anchors: 'anchors/',
  /** OCSP extracts of the investigations bucket, one prefix per case. */
  cases: 'cases/',
  /** Manifests and completion reports of S3 Batch Operations hold jobs (investigations). */
  holdJobs: 'hold-jobs/',
  /** Athena results in the query-results bucket. */
  athenaResults: 'athena/',
  /** The ocsp_cert_daily partitions in the aggregates bucket. */
  ocspCertDaily: 'ocsp_cert_daily/',
  /** The published dataset in the aggregates bucket. */
  publish: 'publish/',
} as const;

/** A case's extract in the investigations bucket. */
export const casePrefix = (caseId: string) => `${prefixes.cases}${caseId}/`;
