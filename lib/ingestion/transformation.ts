import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TransformationSettings } from '../../core/ingest/schemas/source-formats';
import { LoggedFunction } from '../compute/logged-function';
import { functionEnvironment } from '../compute/function-environment';

export interface IngestTransformationProps {
  /** Stage name, part of the function and log group names. */
  readonly stage: string;
  /** Per log type, what its streams' lines are parsed as (the stage's `ingestion.transformation`). */
  readonly settings: TransformationSettings;
  /** Key for the function's log group and environment. */
  readonly encryptionKey: kms.IKey;
  /** Retention of the function's logs: OCSP's, since it reads OCSP records (it logs counts only). */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The Firehose data-transformation function of a stage's delivery streams
 * (lambdas/ingest-transform over core/ingest/transform). It reaches no
 * resource: Firehose hands it the records and takes its answer, so its role
 * only writes its own logs and decrypts its environment. Firehose's role is given the invoke permission
 * by each LogDelivery that uses it.
 */
export class IngestTransformation extends Construct {
  public readonly handler: LoggedFunction;

  constructor(scope: Construct, id: string, props: IngestTransformationProps) {
    super(scope, id);
    this.handler = new LoggedFunction(this, 'Function', {
      stage: props.stage,
      name: 'ingest-transform',
      description:
        'Firehose transformation: validates and parses each record into stored OCSP/ACME records',
      encryptionKey: props.encryptionKey,
      logDataClass: 'ocsp-personal',
      logRetention: props.logRetention,
      // Firehose allows the function up to 5 minutes; a 1 MB buffer of DER requests needs seconds.
      timeout: Duration.minutes(2),
      // CPU scales with memory: DER decoding is CPU-bound.
      memorySize: 1024,
      environment: functionEnvironment('ingest-transform', {
        TRANSFORMATIONS: JSON.stringify(props.settings),
      }),
    });
    // Its one grant: reading its own environment, which the stage key encrypts.
    props.encryptionKey.grantDecrypt(this.handler.role);
  }
}
