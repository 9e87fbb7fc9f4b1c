import { RejectedRequest } from '../../core/holds/case';
import { applyHold, releaseHold } from '../../core/holds';
import type { HoldDeps, HoldOutcome, HoldStep } from '../../core/holds/deps';
import { HoldFixture, archiveLegalHold, loadHoldFixture, putVersion } from './hold-fixture';

/**
 * Many overlapping applies and releases at once, against the stand-ins, with
 * random delays injected between the registry and S3 steps (the `betweenSteps`
 * hook: a quiet stand-in answers too fast to interleave anything) and random
 * crashes (the hook throws; the operation is rerun, as the CLI reruns a failed
 * invocation). After each round, with nothing running, every version's real
 * legal-hold flag must be ON exactly when a case that is not released covers
 * it by scope: the invariant of docs/holds.md. Rounds: LOGVAULT_HOLD_ROUNDS
 * (CI runs 6, about 25 s; `scripts/hold-concurrency.sh` runs 20).
 */

const ROUNDS = Number(process.env.LOGVAULT_HOLD_ROUNDS ?? 6);
const HOURS = [8, 9, 10, 11];
const VERSIONS_PER_HOUR = 3;
const MAX_DELAY_MS = 30;
const CRASH_PROBABILITY = 0.02;

interface LiveCase {
  readonly caseId: string;
  readonly firstHour: number;
  /** Exclusive. */
  readonly endHour: number;
}

const instant = (hour: number) => `2026-11-21T${String(hour).padStart(2, '0')}:00:00Z`;
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deps whose hook sleeps a random while at every step and sometimes crashes the run. */
function hostileDeps(deps: HoldDeps, crashes: boolean): HoldDeps {
  return {
    ...deps,
    concurrency: 4,
    betweenSteps: async (step: HoldStep) => {
      await sleep(Math.random() * MAX_DELAY_MS);
      if (crashes && Math.random() < CRASH_PROBABILITY) throw new Error(`injected crash (${step})`);
    },
  };
}

/**
 * Runs an operation to its end the way on-call does: rerun after a crash or
 * an unfinished answer. The first attempts may crash; later ones only delay.
 */
async function toTheEnd(
  deps: HoldDeps,
  operation: (deps: HoldDeps) => Promise<HoldOutcome>,
): Promise<HoldOutcome | RejectedRequest> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const outcome = await operation(hostileDeps(deps, attempt < 3));
      if (outcome.result === 'complete') return outcome;
    } catch (error) {
      if (error instanceof RejectedRequest) return error;
      if (!(error as Error).message.includes('injected crash')) throw error;
    }
  }
  throw new Error('operation did not finish in 20 attempts');
}

describe('legal holds stay exact under concurrent applies and releases (stand-ins)', () => {
  let f: HoldFixture;
  const versions: { hour: number; key: string; versionId: string }[] = [];

  // Synthesizing both stacks (every function bundled) takes tens of seconds.
  beforeAll(async () => {
    f = await loadHoldFixture();
    for (const hour of HOURS)
      for (let n = 0; n < VERSIONS_PER_HOUR; n++) {
        const key = `acme/2026/11/21/${String(hour).padStart(2, '0')}/logvault-dev-acme-${n}`;
        const versionId = await putVersion(f, f.archive, key, '{}\n');
        versions.push({ hour, key, versionId });
      }
  }, 240_000);

  it(
    `keeps "held iff an open case covers it" after each of ${ROUNDS} rounds`,
    async () => {
      let open: LiveCase[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Rounds alternate: mostly applies, then mostly releases, so that versions end up both
        // covered and uncovered (an orphan only shows on a version no open case covers).
        const growing = round % 2 === 0;
        const fresh: LiveCase[] = Array.from({ length: growing ? 5 : 1 }, (_, i) => {
          const firstHour = pick(HOURS);
          const endHour = Math.min(firstHour + pick([1, 2]), HOURS.at(-1)! + 1);
          return { caseId: `R${round}-C${i}`, firstHour, endHour };
        });
        // Overlapping releases at once are issue 15's race; some cases are released while
        // their own apply still runs.
        const toRelease = [
          ...open.filter(() => Math.random() < (growing ? 0.3 : 0.9)),
          ...fresh.filter(() => Math.random() < 0.3),
        ];
        const apply = (c: LiveCase) =>
          toTheEnd(f.deps, (deps) =>
            applyHold(deps, {
              case: {
                caseId: c.caseId,
                dataset: 'acme',
                scope: { from: instant(c.firstHour), to: instant(c.endHour), filters: {} },
                reason: 'concurrency test',
                ticket: 'LEGAL-15',
                requester: 'test',
              },
              dryRun: false,
            }),
          );
        const release = async (c: LiveCase) => {
          await sleep(Math.random() * 10);
          return toTheEnd(f.deps, (deps) =>
            releaseHold(deps, {
              caseId: c.caseId,
              requester: 'test',
              reason: 'done',
              dryRun: false,
            }),
          );
        };
        await Promise.all([...fresh.map(apply), ...toRelease.map(release)]);

        // A release that raced its own case's creation was refused ("does not exist"): that
        // case stays open. The registry's final status is the truth the flags must follow.
        const statuses = new Map(
          (await f.deps.registry.listCases()).map((c) => [c.caseId, c.status]),
        );
        open = [...open, ...fresh].filter((c) => statuses.get(c.caseId) !== 'released');
        for (const c of open)
          expect([c.caseId, statuses.get(c.caseId)]).toEqual([c.caseId, 'active']);

        const wrong: string[] = [];
        for (const v of versions) {
          const expected = open.some((c) => v.hour >= c.firstHour && v.hour < c.endHour);
          const flag = (await archiveLegalHold(f, v)) === 'ON';
          if (flag !== expected)
            wrong.push(`${v.key}#${v.versionId}: flag ${flag ? 'ON' : 'OFF'}, covered ${expected}`);
        }
        expect({ round, wrong }).toEqual({ round, wrong: [] });
      }
    },
    ROUNDS * 60_000,
  );
});
