import { StageConfig } from './stage-config';

/** Values shared by every stage unless a stage overrides them. */
const baseline = {
  region: 'us-east-1',
  ocsp: { rawLogExpiryDays: 5, logRetentionDays: 5 },
  accessLogExpiryDays: 365,
  monitoring: { oldestOcspObjectAlarmHours: 156 },
  DANGER_allowPermanentComplianceLockOutsideProduction: false,
} as const;

/**
 * Stage definitions. Add a stage by adding an entry; it is validated by
 * `stageConfigSchema` when the app is synthesized.
 */
export const stages: Record<string, unknown> = {
  dev: {
    ...baseline,
    stage: 'dev',
    isProduction: false,
    analytics: { kAnonymity: 10 },
    subscriber: {
      // GOVERNANCE for one day so a dev stack can be emptied and destroyed.
      lock: { mode: 'GOVERNANCE', duration: { days: 1 } },
      landingExpiryDays: 3,
      transitions: [],
    },
    accessLogExpiryDays: 30,
  },
  prod: {
    ...baseline,
    stage: 'prod',
    isProduction: true,
    analytics: { kAnonymity: 10 },
    subscriber: {
      lock: { mode: 'COMPLIANCE', duration: { years: 7 } },
      landingExpiryDays: 3,
      transitions: [
        { storageClass: 'STANDARD_IA', afterDays: 90 },
        { storageClass: 'GLACIER_IR', afterDays: 365 },
      ],
      expireDaysAfterRetention: 30,
    },
  },
} satisfies Record<string, Partial<StageConfig> & { stage: string }>;
