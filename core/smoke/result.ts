/** What one smoke check concluded. `skip` never hides a failure: it names why it could not run. */
export type SmokeStatus = 'pass' | 'fail' | 'skip';

export interface CheckVerdict {
  readonly status: SmokeStatus;
  /** One sentence: what was proved, what broke, or why it could not run. */
  readonly detail: string;
  /** What the account answered to a question only it can settle (docs/deploy.md §5). */
  readonly observed?: Readonly<Record<string, string>>;
}

export interface SmokeResult extends CheckVerdict {
  readonly check: string;
  readonly seconds: number;
}

export const pass = (detail: string, observed?: Record<string, string>): CheckVerdict => ({
  status: 'pass',
  detail,
  observed,
});
export const fail = (detail: string, observed?: Record<string, string>): CheckVerdict => ({
  status: 'fail',
  detail,
  observed,
});
export const skip = (detail: string): CheckVerdict => ({ status: 'skip', detail });

/**
 * Runs one check; an exception is that check's failure with its message, so
 * one broken part never stops the others or the cleanup.
 */
export async function settle(
  check: string,
  body: () => Promise<CheckVerdict>,
  clock: () => number = Date.now,
): Promise<SmokeResult> {
  const started = clock();
  let verdict: CheckVerdict;
  try {
    verdict = await body();
  } catch (error) {
    const { name, message } = error as Error;
    verdict = fail(`${name}: ${message}`);
  }
  return { check, ...verdict, seconds: (clock() - started) / 1000 };
}
