import { Construct } from 'constructs';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataClass, classifyDataAt } from '../privacy/data-class';
import {
  BucketPurpose,
  FIREHOSE_ERROR_LOG_STREAM,
  NAG_PLACEMENT,
  arns,
  deliveryStreamName,
  firehoseLogGroupName,
  producerPolicyName,
} from '../../core/naming';
import { acknowledgeWildcard } from '../compute/grants';
import { DEPLOYED } from '../placement';

export interface LogDeliveryProps {
  /** Stage name, part of the stream and log group names. */
  readonly stage: string;
  /** Log type, e.g. `ocsp`; streams are `logvault-<stage>-<type>-<n>`. */
  readonly logType: string;
  /** How many identical DirectPut streams to create (scale beyond one stream's quota). */
  readonly streamCount: number;
  /** Destination bucket. */
  readonly bucket: s3.IBucket;
  /**
   * The bucket's purpose in its name `logvault-<stage>-<account>-<region>-<purpose>`.
   * The role's policy names the bucket by this plain name rather than by the
   * data stack's export, so the policy reads (and is reviewed) as exact ARNs.
   */
  readonly bucketPurpose: BucketPurpose;
  /** The bucket's encryption key; also encrypts the streams' buffers and error logs. */
  readonly encryptionKey: kms.IKey;
  /**
   * Plain data prefix ending in `/`, no `!{...}` expressions, so Firehose
   * appends `YYYY/MM/dd/HH/` (UTC) exactly as the local stand-in does.
   */
  readonly prefix: string;
  /** Prefix for records Firehose could not deliver; same bucket, so same retention. */
  readonly errorPrefix: string;
  /** Flush after this many seconds (0-900). */
  readonly bufferingIntervalSeconds: number;
  /** Flush after this many MiB (1-128). */
  readonly bufferingSizeMiB: number;
  /** Class of what the error log group may hold, and its retention to match. */
  readonly errorLogDataClass: Extract<DataClass, 'ocsp-personal' | 'operational'>;
  readonly errorLogRetention: logs.RetentionDays;
  /**
   * The data-transformation function Firehose runs over every record before
   * delivery (lib/ingestion/transformation.ts); records it fails land under
   * `errorPrefix`, so they expire with the bucket's data.
   * @default - records are delivered as sent
   */
  readonly transformation?: lambda.IFunction;
}

/**
 * Firehose buffers this much before invoking the transformation: its default,
 * 1 MB (0.2-3). The function keeps its answer under Lambda's 6 MB response
 * limit whatever the records expand to (core/ingest/transform).
 */
const TRANSFORMATION_BUFFER_MIB = 1;

const PLAIN_PREFIX = /^[a-z0-9][a-z0-9-]*\/$/;

/**
 * DirectPut Firehose streams for one log type, landing GZIP-compressed,
 * KMS-encrypted objects under one prefix of one bucket. The streams share a
 * role that may write only that prefix and its error prefix, and an
 * encrypted error log group with the retention of the data's class.
 */
export class LogDelivery extends Construct {
  public readonly streams: firehose.CfnDeliveryStream[];
  public readonly role: iam.Role;
  public readonly errorLogGroup: logs.LogGroup;
  /**
   * What a producer of this log type attaches to its role: PutRecord,
   * PutRecordBatch and DescribeDeliveryStream (`logvault ship` checks where a
   * stream delivers before sending) on these streams and no others.
   */
  public readonly producerPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: LogDeliveryProps) {
    super(scope, id);
    const problems = [
      !PLAIN_PREFIX.test(props.prefix) && `prefix "${props.prefix}" must be plain, like "ocsp/"`,
      !PLAIN_PREFIX.test(props.errorPrefix) &&
        `errorPrefix "${props.errorPrefix}" must be plain, like "ocsp-errors/"`,
      props.prefix === props.errorPrefix && 'prefix and errorPrefix must differ',
      !(Number.isInteger(props.streamCount) && props.streamCount >= 1) &&
        `streamCount ${props.streamCount} must be a positive integer`,
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0)
      throw new Error(`LogDelivery ${props.logType}: ${problems.join('; ')}`);

    this.errorLogGroup = new logs.LogGroup(this, 'ErrorLogs', {
      logGroupName: firehoseLogGroupName(props.stage, props.logType),
      retention: props.errorLogRetention,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    classifyDataAt(this.errorLogGroup, props.errorLogDataClass);
    const errorLogStream = new logs.LogStream(this, 'ErrorLogStream', {
      logGroup: this.errorLogGroup,
      logStreamName: FIREHOSE_ERROR_LOG_STREAM,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = this.createRole(props);
    this.streams = Array.from({ length: props.streamCount }, (_, i) =>
      this.createStream(props, i + 1, errorLogStream),
    );
    this.producerPolicy = new iam.ManagedPolicy(this, 'ProducerPolicy', {
      managedPolicyName: producerPolicyName(props.stage, props.logType),
      description: `Producers of ${props.logType} records in logvault ${props.stage}: send to, and describe, its ${props.logType} streams only`,
      statements: [
        new iam.PolicyStatement({
          sid: 'SendToOwnTypeStreams',
          actions: [
            'firehose:PutRecord',
            'firehose:PutRecordBatch',
            'firehose:DescribeDeliveryStream',
          ],
          resources: this.streams.map((_, i) =>
            arns.deliveryStream(DEPLOYED, deliveryStreamName(props.stage, props.logType, i + 1)),
          ),
        }),
      ],
    });
  }

  /** The streams' role: writes its two prefixes, encrypts with the bucket's key, logs errors. */
  private createRole(props: LogDeliveryProps): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': DEPLOYED.account } },
      }),
      description: `Firehose ${props.logType} streams of logvault ${props.stage}: write ${props.prefix} only`,
    });
    const bucketArn = arns.stageBucket(DEPLOYED, props.stage, props.bucketPurpose);
    const ownPrefixes = [props.prefix, props.errorPrefix];
    const ownObjects = (at: typeof DEPLOYED, prefix: string) =>
      arns.stageObjects(at, props.stage, props.bucketPurpose, prefix);
    const allow = (
      sid: string,
      actions: string[],
      resources: string[],
      conditions?: iam.Conditions,
    ) => role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));
    allow(
      'WriteOwnPrefixes',
      ['s3:PutObject', 's3:AbortMultipartUpload'],
      ownPrefixes.map((p) => ownObjects(DEPLOYED, p)),
    );
    for (const p of ownPrefixes)
      acknowledgeWildcard(
        role,
        ownObjects(NAG_PLACEMENT, p),
        `Firehose names objects at delivery time; the wildcard covers only the ${p} prefix of one bucket.`,
      );
    Validations.of(role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'Each log type has its own Firehose role whose policy is written for its prefixes alone; a managed policy would add no reuse.',
    });
    allow('LocateBucket', ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], [bucketArn]);
    // SSE-KMS on the bucket (with bucket keys, the context is the bucket ARN).
    allow('EncryptObjects', ['kms:GenerateDataKey', 'kms:Decrypt'], [props.encryptionKey.keyArn], {
      StringEquals: { 'kms:ViaService': `s3.${DEPLOYED.region}.amazonaws.com` },
      StringLike: {
        'kms:EncryptionContext:aws:s3:arn': [
          bucketArn,
          ...ownPrefixes.map((p) => ownObjects(DEPLOYED, p)),
        ],
      },
    });
    allow(
      'LogDeliveryErrors',
      ['logs:PutLogEvents'],
      [
        arns.logGroup(
          DEPLOYED,
          `${this.errorLogGroup.logGroupName}:log-stream:${FIREHOSE_ERROR_LOG_STREAM}`,
        ),
      ],
    );
    if (props.transformation !== undefined)
      allow(
        'InvokeTransformation',
        ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        [props.transformation.functionArn],
      );
    return role;
  }

  /** Firehose's processing configuration that runs the transformation, if any. */
  private processing(props: LogDeliveryProps) {
    if (props.transformation === undefined) return undefined;
    const parameter = (parameterName: string, parameterValue: string) => ({
      parameterName,
      parameterValue,
    });
    return {
      enabled: true,
      processors: [
        {
          type: 'Lambda',
          parameters: [
            parameter('LambdaArn', props.transformation.functionArn),
            parameter('BufferSizeInMBs', String(TRANSFORMATION_BUFFER_MIB)),
            parameter('BufferIntervalInSeconds', String(props.bufferingIntervalSeconds)),
          ],
        },
      ],
    };
  }

  private createStream(
    props: LogDeliveryProps,
    index: number,
    errorLogStream: logs.LogStream,
  ): firehose.CfnDeliveryStream {
    const stream = new firehose.CfnDeliveryStream(this, `Stream${index}`, {
      deliveryStreamName: deliveryStreamName(props.stage, props.logType, index),
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: {
        keyType: 'CUSTOMER_MANAGED_CMK',
        keyArn: props.encryptionKey.keyArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: this.role.roleArn,
        prefix: props.prefix,
        errorOutputPrefix: props.errorPrefix,
        processingConfiguration: this.processing(props),
        compressionFormat: 'GZIP',
        bufferingHints: {
          intervalInSeconds: props.bufferingIntervalSeconds,
          sizeInMBs: props.bufferingSizeMiB,
        },
        encryptionConfiguration: {
          kmsEncryptionConfig: { awskmsKeyArn: props.encryptionKey.keyArn },
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: this.errorLogGroup.logGroupName,
          logStreamName: errorLogStream.logStreamName,
        },
      },
    });
    // The role's policy must exist before Firehose validates the destination
    // (the role itself is already a dependency through RoleARN).
    stream.node.addDependency(this.role.node.findChild('DefaultPolicy'));
    return stream;
  }
}
