/**
 * Expectations of the scenario that depend on how much traffic it shipped,
 * kept as pure functions so a test can hold them against every `--lines`.
 */

export interface BatchCaseOutcome {
  /** Archived versions the case says it covers. */
  readonly caseObjects: number;
  /** Versions the S3 Batch Operations job reports as succeeded. */
  readonly jobSucceeded: number | undefined;
}

/**
 * The ACME case held every archived version the seal step wrote, through the
 * job. How many objects that is depends on `--lines` (2,000 ACME lines fit in
 * one Firehose record, so one object), so the expectation is "all of them,
 * and at least one", counted independently from the seal step, never a
 * fixed lower bound.
 */
export function heldEveryArchivedVersion(archived: number, outcome: BatchCaseOutcome): boolean {
  return archived >= 1 && outcome.caseObjects === archived && outcome.jobSucceeded === archived;
}
