import { GetObjectLegalHoldCommand } from '@aws-sdk/client-s3';
import { smokeCaseId } from '../../naming';
import { HOUR_MS } from '../../time/units';
import { canaryTag } from '../canary';
import type { SmokeContext } from '../context';
import { CheckVerdict, fail, pass } from '../result';

const REQUESTER = 'logvault smoke';

interface Outcome {
  readonly result: string;
  readonly objectCount: number;
}

/** Invokes a hold function; a refusal or an unfinished run is an error naming the function. */
async function invoke(ctx: SmokeContext, op: 'apply' | 'release', event: unknown) {
  const response = await ctx.hold(op, event);
  if (!response.ok) throw new Error(`hold-${op} refused the canary case: ${response.rejected}`);
  const outcome = response.result as Outcome;
  if (outcome.result !== 'complete')
    throw new Error(`hold-${op} ended ${outcome.result}, not complete`);
  return outcome;
}

/** The legal-hold flag of the current version of each key. */
async function holdFlags(ctx: SmokeContext, keys: readonly string[]): Promise<string[]> {
  const Bucket = ctx.bucket('subscriber-archive');
  return Promise.all(
    keys.map(async (Key) => {
      const got = await ctx.clients.s3.send(new GetObjectLegalHoldCommand({ Bucket, Key }));
      return got.LegalHold?.Status ?? 'OFF';
    }),
  );
}

/**
 * A canary ACME case scoped to the canary account (so it holds only the
 * sealed canaries), applied and released through the hold functions as
 * on-call does, each flag checked on the archive after each step. The case
 * stays in the registry and the audit trail as released, like every case.
 */
export async function holdsCheck(ctx: SmokeContext): Promise<CheckVerdict> {
  const keys = ctx.found.acmeKeys;
  if (keys.length === 0) return fail('no sealed ACME canary to hold (see the seal check)');
  const caseId = smokeCaseId(ctx.runId);
  const now = ctx.now().getTime();
  const accountIds = keys.map((_, i) => canaryTag(`${ctx.runId}-${i + 1}`));
  const release = { caseId, requester: REQUESTER, reason: 'smoke canary done', dryRun: false };
  ctx.cleanup.add(`hold case ${caseId}`, async () => {
    const response = await ctx.hold('release', release);
    if (!response.ok && response.rejected.endsWith('does not exist')) return 'already-gone';
    if (!response.ok) throw new Error(`hold-release refused: ${response.rejected}`);
    // A released case answers `complete` again: released by the check, or now.
    return 'removed';
  });
  const applied = await invoke(ctx, 'apply', {
    case: {
      caseId,
      dataset: 'acme',
      scope: {
        from: new Date(now - 2 * HOUR_MS).toISOString(),
        to: new Date(now + 60_000).toISOString(),
        filters: { accountIds },
      },
      reason: 'logvault smoke: canary hold',
      ticket: `smoke-${ctx.runId}`,
      requester: REQUESTER,
    },
    dryRun: false,
  });
  const held = await holdFlags(ctx, keys);
  if (applied.objectCount !== keys.length || held.some((s) => s !== 'ON'))
    return fail(
      `apply held ${applied.objectCount} object(s), flags ${held.join(',')}; expected ${keys.length} ON`,
    );
  await invoke(ctx, 'release', release);
  const released = await holdFlags(ctx, keys);
  if (released.some((s) => s !== 'OFF'))
    return fail(`after release the canary flags are ${released.join(',')}, not OFF`);
  return pass(`case ${caseId} held the ${keys.length} canary object(s) and released them`);
}
