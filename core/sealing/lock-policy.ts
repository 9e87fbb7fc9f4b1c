/** How sealed objects and digests are locked: the stage's configured archive lock. */
export interface LockPolicy {
  readonly mode: 'COMPLIANCE' | 'GOVERNANCE';
  readonly days: number;
}
