import { Construct } from 'constructs';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { classifyDataAt } from '../privacy/data-class';
import {
  arns,
  auditTableName,
  holdRoleNames,
  registryIndexes,
  registryTableName,
  sealRoleNames,
} from '../../core/naming';
import { DEPLOYED } from '../placement';

export interface HoldRegistryProps {
  readonly stage: string;
  /** CMK for both tables. */
  readonly encryptionKey: kms.IKey;
  /**
   * Buckets whose legal holds only the hold functions may change: each gets a
   * bucket policy statement denying `s3:PutObjectLegalHold` to every other principal.
   */
  readonly guardedBuckets: readonly s3.IBucket[];
  /**
   * The guarded bucket sealing archives into: its statement also lets the
   * sealing roles set legal holds (standing holds, core/holds/standing.ts).
   * @default none - only the hold functions change legal holds anywhere
   */
  readonly sealedArchive?: s3.IBucket;
  /**
   * Deleted with the stack, without deletion protection, so a non-production
   * stage can be destroyed and deployed again (issue 12 finding 10).
   * @default false - retained and deletion-protected
   */
  readonly disposable?: boolean;
}

/**
 * The stateful half of legal holds: the case registry, the append-only audit
 * trail, and the bucket policies that reserve legal-hold changes to the hold
 * functions. Lives in the data stack; the functions live in the compute stack.
 */
export class HoldRegistry extends Construct {
  /** Cases and case-to-version memberships (core/holds/registry.ts). */
  public readonly table: dynamodb.Table;
  /** One item per step per case; writers may only add items. */
  public readonly auditTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props: HoldRegistryProps) {
    super(scope, id);
    // Named like the buckets (account included), so a name never collides on a shared stand-in.
    const common = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: !props.disposable,
      removalPolicy: props.disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    };
    this.table = new dynamodb.Table(this, 'Cases', {
      ...common,
      tableName: registryTableName(props.stage, DEPLOYED),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    });
    this.table.addGlobalSecondaryIndex({
      indexName: registryIndexes.byCase,
      partitionKey: { name: 'caseId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'objectRef', type: dynamodb.AttributeType.STRING },
    });
    this.table.addGlobalSecondaryIndex({
      indexName: registryIndexes.cases,
      partitionKey: { name: 'kind', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING },
    });
    this.auditTable = new dynamodb.Table(this, 'Audit', {
      ...common,
      tableName: auditTableName(props.stage, DEPLOYED),
      partitionKey: { name: 'caseId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'event', type: dynamodb.AttributeType.STRING },
    });
    for (const table of [this.table, this.auditTable]) {
      // Case metadata, object keys and version ids: no log contents.
      classifyDataAt(table, 'operational');
      Validations.of(table).acknowledge({
        id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
        reason:
          'Point-in-time recovery (35 days) and deletion protection cover these tables; ' +
          'the audit trail is also summarised in each case record.',
      });
    }

    const roles = holdRoleNames(props.stage);
    const sealing = sealRoleNames(props.stage);
    for (const bucket of props.guardedBuckets) {
      const allowed = [roles.apply, roles.release, roles.batch];
      if (bucket === props.sealedArchive) allowed.push(sealing.seal, sealing.reconciler);
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'OnlyHoldFunctionsChangeLegalHolds',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:PutObjectLegalHold'],
          resources: [bucket.arnForObjects('*')],
          conditions: {
            ArnNotLike: {
              'aws:PrincipalArn': allowed.map((name) => arns.role(DEPLOYED, name)),
            },
          },
        }),
      );
    }
  }
}
