/**
 * Legal holds: the three operations the hold functions and `logvault hold
 * --local` run. Apply in apply.ts, release in release.ts, status in status.ts.
 */
export { applyHold } from './apply';
export { releaseHold } from './release';
export { holdStatus } from './status';
export type { CaseStatusView } from './status';
export type { HoldDeps, HoldOutcome, KeyFailure } from './deps';
