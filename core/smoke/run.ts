import { CleanupRecord, cleanupFailed } from './cleanup';
import type { SmokeContext, SmokeTarget } from './context';
import { alarmCheck } from './checks/alarm';
import { athenaCheck } from './checks/athena';
import { digestCheck } from './checks/digest';
import { holdsCheck } from './checks/holds';
import { retentionMonitorCheck } from './checks/retention-monitor';
import { sealCheck } from './checks/seal';
import { streamsCheck } from './checks/streams';
import { CheckVerdict, SmokeResult, settle } from './result';

export type SmokeCheck = (ctx: SmokeContext) => Promise<CheckVerdict>;

/**
 * The checks in the order they run. The digest check goes first: it verifies
 * the newest digest before any canary is sealed. Streams leave the ACME
 * canaries for the seal check, which leaves them sealed for the hold check;
 * the Athena check runs while the OCSP canaries are still in the raw bucket.
 */
export const SMOKE_CHECKS: readonly (readonly [string, SmokeCheck])[] = [
  ['digest', digestCheck],
  ['streams', streamsCheck],
  ['seal', sealCheck],
  ['athena', athenaCheck],
  ['holds', holdsCheck],
  ['alarm', alarmCheck],
  ['retention-monitor', retentionMonitorCheck],
];

export interface SmokeReport {
  readonly stage: string;
  readonly target: SmokeTarget;
  readonly runId: string;
  readonly results: SmokeResult[];
  readonly cleanup: CleanupRecord[];
  /** 0 every check passed or was skipped with its reason and nothing was left behind; 1 otherwise. */
  readonly exitCode: 0 | 1;
}

/** 1 when a check failed or the cleanup could not remove a canary resource. */
export function smokeExitCode(
  results: readonly SmokeResult[],
  cleanup: readonly CleanupRecord[],
): 0 | 1 {
  return results.some((r) => r.status === 'fail') || cleanupFailed(cleanup) ? 1 : 0;
}

/**
 * Runs every check, then the cleanup, always: a failed or crashed check
 * never leaves its canary resources behind (the cleanup plan holds each
 * from the moment it exists).
 */
export async function runSmoke(
  ctx: SmokeContext,
  checks: readonly (readonly [string, SmokeCheck])[] = SMOKE_CHECKS,
  onResult: (result: SmokeResult) => void = () => {},
): Promise<SmokeReport> {
  const results: SmokeResult[] = [];
  let cleanup: CleanupRecord[];
  try {
    for (const [name, check] of checks) {
      const result = await settle(name, () => check(ctx));
      results.push(result);
      onResult(result);
    }
  } finally {
    cleanup = await ctx.cleanup.run();
  }
  return {
    stage: ctx.stage,
    target: ctx.target,
    runId: ctx.runId,
    results,
    cleanup,
    exitCode: smokeExitCode(results, cleanup),
  };
}
