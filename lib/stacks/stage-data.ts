import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  BucketPurpose,
  auditTableName,
  bucketName,
  keyArnParameterName,
  registryTableName,
} from '../../core/naming';
import { DEPLOYED } from '../placement';

/**
 * The stateful resources of a stage as the functions, streams and catalog
 * see them. The data stack implements it with the resources it creates; the
 * compute stack with `StageDataRefs`, references by name.
 */
export interface StageData {
  readonly storageKey: kms.IKey;
  readonly ocspRawLogs: s3.IBucket;
  readonly queryResults: s3.IBucket;
  readonly subscriberLanding: s3.IBucket;
  readonly subscriberArchive: s3.IBucket;
  readonly investigations: s3.IBucket;
  readonly aggregates: s3.IBucket;
  readonly digestSigningKey: { readonly key: kms.IKey };
  readonly holds: { readonly table: dynamodb.ITable; readonly auditTable: dynamodb.ITable };
}

export interface StageDataRefsProps {
  /** Stage name, part of every physical name. */
  readonly stage: string;
}

/**
 * The data stack's resources referred to without a CloudFormation export
 * (issue 12 finding 10): buckets and tables by the names `core/naming` builds
 * for both stacks, keys by the ARNs the data stack publishes in SSM
 * parameters, which CloudFormation reads at each deploy of this stack. The
 * data stack can then replace a resource without an import blocking it; the
 * compute stack picks the new key ARN up on its next deploy (data first,
 * then compute, which `buildStage` orders with a stack dependency).
 */
export class StageDataRefs extends Construct implements StageData {
  public readonly storageKey: kms.IKey;
  public readonly ocspRawLogs: s3.IBucket;
  public readonly queryResults: s3.IBucket;
  public readonly subscriberLanding: s3.IBucket;
  public readonly subscriberArchive: s3.IBucket;
  public readonly investigations: s3.IBucket;
  public readonly aggregates: s3.IBucket;
  public readonly digestSigningKey: { readonly key: kms.IKey };
  public readonly holds: { readonly table: dynamodb.ITable; readonly auditTable: dynamodb.ITable };

  constructor(scope: Construct, id: string, props: StageDataRefsProps) {
    super(scope, id);
    const { stage } = props;
    const keyAt = (key: 'storage' | 'digest-signing') =>
      kms.Key.fromKeyArn(
        this,
        `${key}-key`,
        ssm.StringParameter.valueForStringParameter(this, keyArnParameterName(stage, key)),
      );
    this.storageKey = keyAt('storage');
    this.digestSigningKey = { key: keyAt('digest-signing') };
    const bucket = (purpose: BucketPurpose) =>
      s3.Bucket.fromBucketAttributes(this, purpose, {
        bucketName: bucketName(stage, purpose, DEPLOYED),
        encryptionKey: this.storageKey,
      });
    this.ocspRawLogs = bucket('ocsp-raw');
    this.queryResults = bucket('query-results');
    this.subscriberLanding = bucket('subscriber-landing');
    this.subscriberArchive = bucket('subscriber-archive');
    this.investigations = bucket('investigations');
    this.aggregates = bucket('aggregates');
    const table = (tableId: string, tableName: string) =>
      dynamodb.Table.fromTableAttributes(this, tableId, {
        tableName,
        encryptionKey: this.storageKey,
      });
    this.holds = {
      table: table('registry', registryTableName(stage, DEPLOYED)),
      auditTable: table('audit', auditTableName(stage, DEPLOYED)),
    };
  }
}
