import { z } from 'zod';
import { publicationParametersSchema } from '../analytics/publication/parameters';
import { archiveRetention, lockSpanDays } from './archive-retention';
import { transformationSettings } from '../ingest/schemas/source-formats';
import { JOBS_WORKGROUP_SUFFIX, awsPlacement, bucketName, bucketPurposes } from '../naming';

/**
 * The one typed description of a stage. Every retention number the privacy
 * policy depends on lives here, so an auditor can read the promise and the
 * number side by side.
 */

const lockDuration = z.union([
  z.strictObject({ years: z.number().int().min(1).max(100) }),
  z.strictObject({ days: z.number().int().min(1).max(36500) }),
]);

const storageTransition = z.strictObject({
  /** S3 storage class, e.g. STANDARD_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE. */
  storageClass: z.enum([
    'STANDARD_IA',
    'INTELLIGENT_TIERING',
    'GLACIER_IR',
    'GLACIER',
    'DEEP_ARCHIVE',
  ]),
  afterDays: z.number().int().min(30).max(36500),
});

export const stageConfigSchema = z
  .strictObject({
    /** Stage name; becomes part of every stack name. */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,15}$/, {
        message:
          'must be 2-16 characters of lowercase letters, digits and "-", starting with a letter',
      })
      // Stage x's jobs workgroup is logvault-x-jobs: stage "x-jobs" would take its name.
      .refine((stage) => !stage.endsWith(JOBS_WORKGROUP_SUFFIX), {
        message: `must not end with "${JOBS_WORKGROUP_SUFFIX}" (the jobs workgroup's suffix)`,
      }),
    /** Production stages may use COMPLIANCE locks without an opt-in. */
    isProduction: z.boolean(),
    /**
     * The account the stage deploys to. With `region`, pins the stacks there:
     * `cdk deploy` refuses other credentials and the CLI looks nowhere else.
     * Required in production (docs/deploy.md, "Choose and pin").
     * @default unpinned: the stacks deploy wherever the credentials point
     */
    account: z
      .string()
      .regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' })
      .optional(),
    /**
     * The Region the stage deploys to; set together with `account`.
     * @default unpinned: the CLI needs --region or AWS_REGION
     */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as us-east-1' })
      .optional(),

    ocsp: z.strictObject({
      /**
       * Days after which raw OCSP objects expire. S3 rounds expiry up to the
       * next midnight UTC and deletes asynchronously, so 5 keeps every copy
       * well under the seven days the policy promises; 6 is the hard ceiling.
       */
      rawLogExpiryDays: z.number().int().min(1).max(6),
      /** CloudWatch retention for log groups that may contain OCSP data (IPs). */
      logRetentionDays: z.union([z.literal(1), z.literal(3), z.literal(5)]),
    }),

    subscriber: z.strictObject({
      /** Object Lock default retention of the subscriber archive. */
      lock: z.strictObject({
        mode: z.enum(['COMPLIANCE', 'GOVERNANCE']),
        duration: lockDuration,
      }),
      /** Days the unlocked landing bucket keeps objects that sealing missed. */
      landingExpiryDays: z.number().int().min(1).max(14),
      /** Storage-class transitions for the archive; see docs/storage-classes.md. */
      transitions: z.array(storageTransition).max(5),
      /** Expire archive objects this many days after their lock ends; absent keeps them. */
      expireDaysAfterRetention: z.number().int().min(1).max(3650).optional(),
      /**
       * Sealing into the archive (docs/sealing.md). Each new landing object is
       * sealed within seconds by its S3 event; the reconciler seals anything
       * older than this many minutes that the event path missed, and alarms.
       */
      sealing: z.strictObject({
        reconcileAfterMinutes: z.number().int().min(5).max(1440),
      }),
    }),

    monitoring: z.strictObject({
      /**
       * E-mail address subscribed to the alarm topic. Required in production
       * (alarms that reach no one protect nothing); absent elsewhere leaves
       * the topic without subscribers and the alarms on the dashboard.
       */
      alarmEmail: z.email().optional(),
      /**
       * Alarm when any OCSP copy is older than this many hours: 156 (6.5 days)
       * leaves half a day to act before the seven-day promise is broken.
       */
      oldestOcspObjectAlarmHours: z.number().int().min(24).max(167),
    }),

    analytics: z.strictObject({
      /**
       * The published per-certificate daily dataset: contribution bounds,
       * privacy loss per day and lateness (docs/publication.md justifies the
       * defaults, bench/publication measures what they cost).
       */
      publication: publicationParametersSchema,
      /**
       * Athena cancels any query of the workgroup that scans more than this
       * (GiB), capping what one mistaken query costs (USD 5 per TiB).
       */
      bytesScannedCutoffGiB: z.number().int().min(1).max(100_000),
      /**
       * Days of ACME partitions the `acme_events` table projects back from
       * now. Keep it within the archive's retention (lock plus
       * `expireDaysAfterRetention`): older partitions hold no data to find.
       */
      acmeProjectionDays: z.number().int().min(1).max(36_500),
      /** Days of `ocsp_cert_daily` partitions projected back from now (aggregates are kept long-term). */
      aggregateProjectionDays: z.number().int().min(1).max(36_500),
    }),

    ingestion: z.strictObject({
      /**
       * Firehose DirectPut streams per log type. One stream takes a regional
       * quota of records/s and MiB/s; shippers spread load over all of them.
       */
      streamCount: z.strictObject({
        ocsp: z.number().int().min(1).max(20),
        acme: z.number().int().min(1).max(20),
      }),
      /**
       * Firehose flushes a buffer when either hint is reached. Longer and
       * larger buffers mean fewer, bigger S3 objects (fewer PUTs, faster Athena
       * scans) but later arrival; see docs/ingestion.md. Seconds 0-900, MiB 1-128.
       */
      buffering: z.strictObject({
        intervalSeconds: z.number().int().min(0).max(900),
        sizeMiB: z.number().int().min(1).max(128),
      }),
      /**
       * CloudWatch retention of the ACME streams' error logs. They carry
       * error codes and object keys, never record contents, so they are
       * operational; OCSP error logs use `ocsp.logRetentionDays`.
       */
      /**
       * The Firehose data-transformation function per log type: it validates
       * every record server side (log type of the stream, schema,
       * plausibility, line_id) and parses the lines of one source format
       * for producers that run their own shipper (docs/ingestion.md,
       * "Server-side transformation"). A type left out gets no function.
       */
      transformation: transformationSettings,
      acmeErrorLogRetentionDays: z.union([
        z.literal(7),
        z.literal(14),
        z.literal(30),
        z.literal(90),
      ]),
    }),

    holds: z.strictObject({
      /**
       * Object versions a hold function handles itself with bounded
       * concurrency; above it, an S3 Batch Operations job sets the legal-hold
       * flags (docs/holds.md, "Scale").
       */
      largeScopeThreshold: z.number().int().min(1).max(10_000_000),
      /** S3 requests a hold function keeps in flight at once. */
      concurrency: z.number().int().min(1).max(256),
    }),

    lambda: z.strictObject({
      /**
       * The account's Lambda concurrent-executions quota in the stage's
       * Region, as Service Quotas shows it. Only when it is stated do the
       * functions reserve concurrency (20 in all, a cap against runaway
       * callers; correctness never depends on it: sealing and digests use
       * conditional writes), and synth checks that the reservations leave the
       * 100 unreserved Lambda requires. New accounts often have 10, where any
       * reservation fails the deploy: check before stating it (docs/deploy.md).
       * Absent: no function reserves concurrency.
       */
      accountConcurrencyQuota: z.number().int().min(10).max(1_000_000).optional(),
    }),

    /**
     * External anchors of the digest chain (docs/trust.md): which pinned
     * TSAs the digest function asks, how late an anchor may come, and the
     * witness account that holds the published copies.
     * @default the pinned public TSA, 3 hours, no witness
     */
    anchoring: z
      .strictObject({
        /**
         * Names of TSAs pinned in `trust/tsa/tsas.json`, asked in this order;
         * one token is enough. Synth fails on a name that is not pinned. A
         * local run points `TSA_TRUST_DIR` at the stand-in and asks `local`.
         * Empty: the stage is not anchored, and verify expects no anchors.
         * @default ['digicert']
         */
        tsas: z
          .array(z.string().regex(/^[a-z0-9-]+$/, 'a TSA name from trust/tsa/tsas.json'))
          .max(4)
          .refine((names) => new Set(names).size === names.length, 'names a TSA twice')
          .default(['digicert']),
        /**
         * Hours after its hour ends within which a chain head must be
         * anchored: a later anchor is `late-anchor`, and digests older than
         * this with no anchor are `unanchored-hours` (when `tsas` is not empty).
         * @default 3
         */
        maxDelayHours: z.number().int().min(2).max(48).default(3),
        /**
         * The witness: a bucket with Object Lock in a separate account, and
         * the role `logvault-<stage>-anchor-witness` there that may only put
         * objects under `<stage>/anchors/`. Absent: anchors stay in the archive
         * (and wherever `logvault anchors export` copies them).
         * @default no witness
         */
        witness: z
          .strictObject({
            account: z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' }),
            bucket: z
              .string()
              .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name of 3-63 characters'),
          })
          .optional(),
      })
      .default({ tsas: ['digicert'], maxDelayHours: 3 }),

    /** Days server access logs (operational, no end-user data) are kept. */
    accessLogExpiryDays: z.number().int().min(30).max(3650),

    /**
     * COMPLIANCE retention can never be shortened, not even by the account
     * root: a non-production stack with it cannot be torn down for years.
     */
    DANGER_allowPermanentComplianceLockOutsideProduction: z.boolean(),
  })
  .superRefine((config, ctx) => {
    const archiveDays = archiveRetention(
      config.subscriber.lock.duration,
      config.subscriber.expireDaysAfterRetention,
    ).maxDays;
    if (archiveDays !== undefined && config.analytics.acmeProjectionDays > archiveDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['analytics', 'acmeProjectionDays'],
        message: `exceeds the subscriber archive's retention of ${archiveDays} days`,
      });
    }
    const longest = longestBucketName(config);
    if (longest.length > 63) {
      ctx.addIssue({
        code: 'custom',
        path: ['stage'],
        message:
          `makes the bucket name ${longest} ${longest.length} characters, over S3's 63` +
          (config.account
            ? '; shorten the stage name'
            : ' (an unpinned stage may land in a Region of up to 14 characters); shorten the stage name or pin account and region'),
      });
    }
    anchoringIssues(config).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    pinningIssues(config).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    if (config.isProduction && config.monitoring.alarmEmail === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['monitoring', 'alarmEmail'],
        message:
          'is required in production: without a subscriber no alarm reaches anyone; set the on-call address',
      });
    }
    if (
      config.subscriber.lock.mode === 'COMPLIANCE' &&
      !config.isProduction &&
      !config.DANGER_allowPermanentComplianceLockOutsideProduction
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['subscriber', 'lock', 'mode'],
        message:
          'COMPLIANCE outside production locks objects (and the stack) for the whole retention period; ' +
          'use GOVERNANCE, or set DANGER_allowPermanentComplianceLockOutsideProduction: true',
      });
    }
  });

export type StageConfig = z.infer<typeof stageConfigSchema>;

/**
 * Production must name where it lives (issue 12 finding 8): an unpinned
 * production stack deploys its COMPLIANCE archive wherever the credentials
 * point. `account` and `region` go together everywhere, so a stage is either
 * fully pinned or not at all.
 */
function pinningIssues(
  config: Pick<StageConfig, 'isProduction' | 'account' | 'region'>,
): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  for (const field of ['account', 'region'] as const) {
    if (config[field] !== undefined) continue;
    const other = field === 'account' ? 'region' : 'account';
    if (config.isProduction)
      issues.push({
        path: [field],
        message: `is required in production: set the ${field === 'account' ? '12-digit account id' : 'Region'} the stage deploys to, so cdk deploy and the CLI never use whatever the credentials point at (docs/deploy.md, "Choose and pin")`,
      });
    else if (config[other] !== undefined)
      issues.push({
        path: [field],
        message: `is required when ${other} is set: pin both, or neither`,
      });
  }
  return issues;
}

/**
 * The stand-in TSA has no place in a production stage, and the witness must
 * be another account: a witness the audited account owns witnesses nothing.
 */
function anchoringIssues(
  config: Pick<StageConfig, 'isProduction' | 'account' | 'anchoring'>,
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const local = config.anchoring.tsas.indexOf('local');
  if (config.isProduction && local >= 0)
    issues.push({
      path: ['anchoring', 'tsas', local],
      message: 'is the local TSA stand-in; production asks pinned public TSAs only',
    });
  const witness = config.anchoring.witness;
  if (witness !== undefined && witness.account === config.account)
    issues.push({
      path: ['anchoring', 'witness', 'account'],
      message:
        "is the stage's own account; the witness must be a separate account its administrators cannot reach",
    });
  return issues;
}

/** The longest Region name AWS uses (e.g. ap-southeast-5), where an unpinned stage may deploy. */
const LONGEST_REGION = 'ap-southeast-5';

/** The stage's longest bucket name, with a 12-digit account and its Region (the longest one when unpinned). */
function longestBucketName(config: Pick<StageConfig, 'stage' | 'account' | 'region'>): string {
  const at = awsPlacement(
    config.account ?? '000000000000',
    config.account ? (config.region ?? LONGEST_REGION) : LONGEST_REGION,
  );
  return bucketPurposes
    .map((purpose) => bucketName(config.stage, purpose, at))
    .reduce((a, b) => (b.length > a.length ? b : a));
}

/**
 * The shortest the stage's lock lasts, in whole days: years are calendar
 * years (7 years are at least 2,556 days, never 7 x 365 = 2,555), as sealing
 * sets retain-until and as the policy's "seven years" reads.
 */
export function lockDays(config: StageConfig): number {
  return lockSpanDays(config.subscriber.lock.duration).min;
}
