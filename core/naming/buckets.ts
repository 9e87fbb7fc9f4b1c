import type { Placement } from './placement';

/** What each of a stage's buckets holds; the last part of its name. */
export const bucketPurposes = [
  'access-logs',
  'ocsp-raw',
  'query-results',
  'subscriber-landing',
  'subscriber-archive',
  'investigations',
  'aggregates',
] as const;
export type BucketPurpose = (typeof bucketPurposes)[number];

/**
 * A stage's bucket, `logvault-<stage>-<account>-<region>-<purpose>`: account
 * and region make it globally unique, and any part of logvault can name it
 * (and grant on it) without a reference to the data stack.
 */
export function bucketName(stage: string, purpose: BucketPurpose, at: Placement): string {
  return ['logvault', stage, at.account, at.region, purpose].join('-');
}
