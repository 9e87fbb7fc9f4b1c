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
 * The ACME case held every archived version, through the job. How many
 * objects that is depends on `--lines` and on how ship packs them; the ship
 * step ships ACME in two runs so there are always at least two (a single
 * object is held directly, with no job: `npm start -- --lines 1000` failed
 * there). The count comes from listing the archive, not from the case.
 */
export function heldEveryArchivedVersion(archived: number, outcome: BatchCaseOutcome): boolean {
  return archived >= 2 && outcome.caseObjects === archived && outcome.jobSucceeded === archived;
}
