import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SubmittingQueryRunner } from '../query/runner';
import type { BatchJobs } from './batch-jobs';
import type { CaseKeys } from './case-secrets';
import type { CaseRecord } from './case';
import type { HoldRegistry } from './registry';

/** What the hold operations need; the handlers build it from the environment, tests from the stand-ins. */
export interface HoldDeps {
  readonly s3: S3Client;
  readonly registry: HoldRegistry;
  readonly buckets: {
    /** Subscriber archive (Object Lock), ACME objects under `acme/`. */
    readonly archive: string;
    /** Investigations bucket (Object Lock, no default retention): OCSP extracts. */
    readonly investigations: string;
  };
  /** Wraps each case's data key, which seals the case's filters (core/holds/case-secrets.ts). */
  readonly caseKeys: CaseKeys;
  /** S3 calls in flight at once. */
  readonly concurrency: number;
  /** Scopes with more object versions than this go to an S3 Batch Operations job. */
  readonly largeScopeThreshold: number;
  /** S3 Batch Operations; without it, scopes above the threshold are refused. */
  readonly batch?: BatchJobs;
  /** Raw OCSP expiry (days): older ranges can no longer be extracted. */
  readonly ocspRawExpiryDays: number;
  /** Runs the OCSP extract SQL (Athena in the cloud, Trino locally). */
  readonly queryRunner: () => SubmittingQueryRunner;
  /** Glue database holding `ocsp_requests`; OCSP applies and releases need it. */
  readonly glueDatabase?: string;
  /** Glue: an OCSP release drops the extract table a crashed apply left (core/holds/extract-table.ts). */
  /**
   * Creates and drops the table an OCSP case's filter values are read
   * through (core/query/identifier-table.ts); only OCSP applies need it.
   */
  readonly glue?: GlueClient;
  readonly now: () => Date;
  /** Stop starting new objects after this instant (epoch ms); the rest is left for a rerun. */
  readonly deadline?: number;
  /** Reports progress after each object. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Fault injection for tests only: called after each object is finished; a
   * throw stops the run as a crash would.
   */
  readonly afterObject?: (done: number) => void;
  /**
   * Delay injection for tests only: awaited between each registry step and
   * the S3 step next to it (`settleHold`), so the concurrency test can
   * produce the interleavings a quiet stand-in never does.
   */
  readonly betweenSteps?: (step: HoldStep) => Promise<void>;
}

/** The points `betweenSteps` is called at. */
export type HoldStep = 'after-registry-change' | 'before-coverage-read' | 'before-flag-write';

export interface KeyFailure {
  readonly key: string;
  readonly versionId?: string;
  readonly error: string;
}

export interface HoldOutcome {
  readonly caseId: string;
  /**
   * `complete`: nothing left to do. `in-progress`: stopped at the deadline,
   * rerun to continue. `incomplete`: some keys failed (see `failures`), rerun
   * to retry them. `dry-run`: nothing changed.
   */
  readonly result: 'complete' | 'in-progress' | 'incomplete' | 'dry-run';
  /** Object versions in scope (dry run and apply) or covered (release). */
  readonly objectCount: number;
  readonly bytes: number;
  /** Apply dry run: versions in scope no case holds yet, which this case would newly hold. */
  readonly newlyHeld?: number;
  readonly newlyHeldBytes?: number;
  /** Apply dry run: versions in scope already held, by covering case id (one version may count for several). */
  readonly alreadyHeldBy?: Record<string, number>;
  /** OCSP: records in the extract (or, in a dry run, matching records). */
  readonly recordCount?: number;
  /** Versions handled by this invocation. */
  readonly processed: number;
  readonly failures: KeyFailure[];
  /** Total failures when more than the listed ones (the handlers list at most 100). */
  readonly failureCount?: number;
  readonly case?: CaseRecord;
  readonly message?: string;
  /** `in-progress` while an S3 Batch Operations job runs: invoke again after this long. */
  readonly retryAfterSeconds?: number;
}
