import { PUBLICATION_PARAMETERS } from '../analytics/publication/parameters';
import { StageConfig } from './stage-config';

/** No AWS account has this id: a pinned stage that keeps it can be synthesized, never deployed. */
export const PROD_ACCOUNT_PLACEHOLDER = '000000000000';

/** Values shared by every stage unless a stage overrides them. */
const baseline = {
  ocsp: { rawLogExpiryDays: 5, logRetentionDays: 5 },
  accessLogExpiryDays: 365,
  monitoring: { oldestOcspObjectAlarmHours: 156 },
  holds: { largeScopeThreshold: 100_000, concurrency: 32 },
  // No quota checked in Service Quotas yet: no reserved concurrency (docs/deploy.md, "Quotas").
  lambda: {},
  DANGER_allowPermanentComplianceLockOutsideProduction: false,
} as const;

/**
 * The default transformation: every stream's records validated server side
 * (stream-fit, schema, plausibility), logvault JSON only. A stage whose
 * producers send nginx, CloudFront or Boulder lines sets that format on the
 * streams' type instead (docs/ingestion.md, "Server-side transformation").
 */
const validateJsonOnly = {
  ocsp: { format: 'json', options: {} },
  acme: { format: 'json', options: {} },
} as const;

/**
 * Stage definitions. Add a stage by adding an entry; it is validated by
 * `stageConfigSchema` when the app is synthesized.
 */
export const stages: Record<string, unknown> = {
  dev: {
    ...baseline,
    // Small, frequent objects: lines show up in Athena within a minute.
    ingestion: {
      streamCount: { ocsp: 1, acme: 1 },
      buffering: { intervalSeconds: 60, sizeMiB: 5 },
      transformation: validateJsonOnly,
      acmeErrorLogRetentionDays: 30,
    },
    stage: 'dev',
    isProduction: false,
    analytics: {
      publication: PUBLICATION_PARAMETERS,
      bytesScannedCutoffGiB: 10,
      acmeProjectionDays: 30,
      aggregateProjectionDays: 400,
    },
    subscriber: {
      // GOVERNANCE for one day so a dev stack can be emptied and destroyed.
      lock: { mode: 'GOVERNANCE', duration: { days: 1 } },
      landingExpiryDays: 3,
      transitions: [],
      sealing: { reconcileAfterMinutes: 15 },
    },
    accessLogExpiryDays: 30,
  },
  prod: {
    ...baseline,
    // Fewer, larger objects (cheaper PUTs and scans) at up to 5 minutes' delay.
    ingestion: {
      streamCount: { ocsp: 2, acme: 1 },
      buffering: { intervalSeconds: 300, sizeMiB: 64 },
      transformation: validateJsonOnly,
      acmeErrorLogRetentionDays: 90,
    },
    stage: 'prod',
    isProduction: true,
    // PLACEHOLDER, not a real account: replace with the CA's production account id before the
    // first deploy (docs/deploy.md, "Choose and pin"). While it stays, `cdk deploy` fails on any
    // real credentials (they are never for account 000000000000) instead of deploying elsewhere.
    account: PROD_ACCOUNT_PLACEHOLDER,
    region: 'us-east-1',
    monitoring: {
      ...baseline.monitoring,
      // The CA's on-call list; confirm the subscription e-mail after the first deploy (docs/deploy.md).
      alarmEmail: 'pki-oncall@example.org',
    },
    analytics: {
      publication: PUBLICATION_PARAMETERS,
      // A day of raw OCSP at production volume; a larger scan is a mistake.
      bytesScannedCutoffGiB: 1024,
      // 7-year lock + 30 days of expiry margin.
      acmeProjectionDays: 2585,
      aggregateProjectionDays: 3650,
    },
    subscriber: {
      lock: { mode: 'COMPLIANCE', duration: { years: 7 } },
      landingExpiryDays: 3,
      transitions: [
        { storageClass: 'STANDARD_IA', afterDays: 90 },
        { storageClass: 'GLACIER_IR', afterDays: 365 },
      ],
      expireDaysAfterRetention: 30,
      sealing: { reconcileAfterMinutes: 15 },
    },
  },
} satisfies Record<string, Partial<StageConfig> & { stage: string }>;
