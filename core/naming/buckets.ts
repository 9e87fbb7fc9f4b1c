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

/** The parts of a stage's bucket name, as `bucketName` builds it. */
export interface StageBucket {
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly purpose: BucketPurpose;
}

/**
 * The stage, account, region and purpose of a bucket named by `bucketName`,
 * or undefined for any other name (a bucket logvault did not name).
 */
export function parseBucketName(name: string): StageBucket | undefined {
  const match = /^logvault-(.+)-(\d{12})-([a-z]{2}(?:-[a-z]+)+-\d+)-([a-z-]+)$/.exec(name);
  const purpose = bucketPurposes.find((p) => p === match?.[4]);
  if (!match || purpose === undefined) return undefined;
  return { stage: match[1]!, account: match[2]!, region: match[3]!, purpose };
}
