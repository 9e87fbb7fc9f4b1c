import { z } from 'zod';
import { baseEnvironment } from './base';
import { athenaEnvironment } from './query';
import {
  bucketVariable,
  countVariable,
  keyVariable,
  databaseVariable,
  roleVariable,
  tableVariable,
} from './resources';

/** The hold registry and its append-only audit trail. */
const registryVariables = {
  HOLD_REGISTRY_TABLE: tableVariable,
  HOLD_AUDIT_TABLE: tableVariable,
};

/**
 * `hold-release`: the registry, both buckets whose legal holds it changes,
 * its limits, S3 Batch Operations for large scopes, and the Glue database
 * whose `hold_extract_*` table it drops if a crashed apply left one. It
 * runs no SQL.
 */
export const holdReleaseEnvironment = baseEnvironment.extend({
  ...registryVariables,
  ARCHIVE_BUCKET: bucketVariable,
  INVESTIGATIONS_BUCKET: bucketVariable,
  /** The KMS key that wraps each case's data key (core/holds/case-secrets.ts). */
  HOLD_CASE_KEY_ID: keyVariable,
  /** S3 requests in flight at once (`holds.concurrency`). */
  HOLD_CONCURRENCY: countVariable,
  /** Versions above which an S3 Batch Operations job sets the flags (`holds.largeScopeThreshold`). */
  HOLD_LARGE_SCOPE_THRESHOLD: countVariable,
  /** Raw OCSP expiry (`ocsp.rawLogExpiryDays`): older ranges cannot be extracted. */
  OCSP_RAW_EXPIRY_DAYS: countVariable,
  /**
   * The role S3 Batch Operations runs legal-hold jobs as; its ARN names
   * account and partition. Without it, scopes above the threshold are refused.
   */
  HOLD_BATCH_ROLE_ARN: roleVariable.optional(),
  /** The OCSP extract tables' database (`hold_extract_<caseId>`). */
  LOGVAULT_GLUE_DATABASE: databaseVariable,
});

/** `hold-apply`: what release has, and Athena for OCSP extracts. */
export const holdApplyEnvironment = holdReleaseEnvironment.extend(athenaEnvironment.shape);

/** What the hold operations read: release's variables, and apply's query variables when there. */
export type HoldEnvironment = z.output<typeof holdReleaseEnvironment> &
  Partial<z.output<typeof athenaEnvironment>>;

/** `hold-status`: reads the registry and the audit trail, nothing else. */
export const holdStatusEnvironment = baseEnvironment.extend(registryVariables);
export type HoldStatusEnvironment = z.output<typeof holdStatusEnvironment>;
