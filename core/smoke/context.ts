import type { S3Client } from '@aws-sdk/client-s3';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { StageConfig } from '../config/stage-config';
import type { BucketPurpose } from '../naming';
import type { QueryRunner } from '../query/runner';
import type { HoldResponse } from '../holds/response';
import type { TrustedKey } from '../sealing/anchor/trusted-keys';
import type { CleanupPlan } from './cleanup';

/** Calls a hold function (Lambda Invoke in the cloud, the same code in-process on the stand-ins). */
export type HoldInvoker = (
  op: 'apply' | 'release',
  event: unknown,
) => Promise<HoldResponse<unknown>>;

/** Where the smoke run is: a deployed account, or the stand-ins (what they cannot emulate is skipped). */
export type SmokeTarget = 'aws' | 'stand-ins';

/** What every smoke check works with. */
export interface SmokeContext {
  readonly stage: string;
  readonly config: StageConfig;
  readonly target: SmokeTarget;
  /** This run's id; every canary carries it (core/smoke/canary.ts). */
  readonly runId: string;
  readonly clients: {
    readonly s3: S3Client;
    readonly firehose: FirehoseClient;
    readonly cloudwatch: CloudWatchClient;
    readonly sns: SNSClient;
    readonly sqs: SQSClient;
  };
  bucket(purpose: BucketPurpose): string;
  /** Query runner on the stage's jobs workgroup. */
  readonly runner: QueryRunner;
  readonly hold: HoldInvoker;
  /**
   * The stage's published digest keys (trust/<stage>/digest-keys.json), or
   * the reason they could not be loaded.
   */
  readonly trust: { keys: readonly TrustedKey[] } | { error: string };
  /**
   * Seals what is in landing now, as the seal function does on an S3 event;
   * undefined in the cloud, where the deployed function does it.
   */
  readonly sealNow?: () => Promise<void>;
  readonly cleanup: CleanupPlan;
  /** How long to wait for something asynchronous (Firehose buffering, the seal function, SNS). */
  readonly waitMs: number;
  readonly pollMs: number;
  readonly now: () => Date;
  /** Left by one check for a later one. */
  readonly found: {
    /** Keys of the ACME canary objects, the same in landing and archive (streams → seal). */
    acmeKeys: string[];
  };
}
