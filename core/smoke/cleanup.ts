/**
 * How one canary resource ended: removed now, already gone (a rerun, or a
 * check that removed it itself), kept on purpose (sealed evidence under
 * Object Lock), or not removable now (the run fails and says what is left).
 */
export type CleanupOutcome = 'removed' | 'already-gone' | 'kept' | 'failed';

export interface CleanupRecord {
  readonly what: string;
  readonly outcome: CleanupOutcome;
  readonly detail?: string;
}

/** Undoes one canary resource; resolves with how it ended (never 'failed': throw instead). */
export type Undo = () => Promise<Exclude<CleanupOutcome, 'failed'> | { kept: string }>;

/**
 * Every canary resource a smoke run creates, registered the moment it exists
 * and undone in reverse order after the checks, whether they passed or not.
 * Each undo is idempotent (a missing resource is `already-gone`), so a rerun
 * after a crash or a second `run()` leaves nothing behind either.
 */
export class CleanupPlan {
  private readonly steps: { what: string; undo: Undo }[] = [];

  add(what: string, undo: Undo): void {
    this.steps.push({ what, undo });
  }

  /** What is registered, in the order it will be undone. */
  get planned(): string[] {
    return this.steps.map((s) => s.what).reverse();
  }

  async run(): Promise<CleanupRecord[]> {
    const records: CleanupRecord[] = [];
    for (const { what, undo } of [...this.steps].reverse()) {
      try {
        const outcome = await undo();
        records.push(
          typeof outcome === 'string'
            ? { what, outcome }
            : { what, outcome: 'kept', detail: outcome.kept },
        );
      } catch (error) {
        records.push({ what, outcome: 'failed', detail: (error as Error).message });
      }
    }
    return records;
  }
}

/** Whether the cleanup left something it should have removed. */
export const cleanupFailed = (records: readonly CleanupRecord[]) =>
  records.some((r) => r.outcome === 'failed');
