import { Construct } from 'constructs';
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { StageConfig } from '../../core/config/stage-config';
import { holdReleaseEnvironment } from '../../core/env/holds';
import {
  EXTRACT_TABLE_PREFIX,
  NAG_PLACEMENT,
  arns,
  databaseName,
  glueTables,
  holdRoleNames,
  prefixes,
  registryIndexes,
  jobsWorkGroupName,
} from '../../core/naming';
import { athenaQueryVariables } from '../analytics/query-access';
import {
  Binding,
  FunctionEnvironment,
  Variables,
  binding,
  functionEnvironment,
} from '../compute/function-environment';
import {
  TableGrant,
  TableRef,
  acknowledgeWildcard,
  bucketBinding,
  keyBinding,
  stageBucket,
  tableBinding,
} from '../compute/grants';
import { DEPLOYED } from '../placement';
import { LoggedFunction } from '../compute/logged-function';
import type { StageData } from '../stacks/stage-data';
import { HoldBatchOperations } from './hold-batch-operations';

/**
 * Release's database: it drops the extract table a crashed apply left
 * (core/holds/extract-table.ts) through the Glue API, so it may delete
 * `hold_extract_*` tables there and nothing else; it runs no SQL.
 */
function extractTableDrop(stage: string): Binding<'database'> {
  const database = databaseName(stage);
  return binding('database', database, (role) => {
    const table = (placement: typeof DEPLOYED) =>
      arns.glueTable(placement, database, `${EXTRACT_TABLE_PREFIX}*`);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:DeleteTable'],
        resources: [
          arns.glueCatalog(DEPLOYED),
          arns.glueDatabase(DEPLOYED, database),
          table(DEPLOYED),
        ],
      }),
    );
    acknowledgeWildcard(
      role,
      table(NAG_PLACEMENT),
      "A release drops only its own case's extract table (hold_extract_<caseId>); case ids are created at run time.",
    );
  });
}

export interface HoldFunctionsProps {
  readonly config: StageConfig;
  readonly data: StageData;
}

/** What every hold function reads; apply and release also write. */
const readRegistry: TableGrant = {
  read: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query'],
    indexes: [registryIndexes.byCase, registryIndexes.cases],
  },
};
const writeRegistry: TableGrant = {
  ...readRegistry,
  // Pending memberships go in TransactWriteItems: PutItem per membership plus
  // ConditionCheckItem on the case (IAM authorizes each action of a transaction).
  write: [
    'dynamodb:PutItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
  ],
};
/** The audit trail is append-only: no function may change or remove an entry. */
export const AUDIT_APPEND_ONLY = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateTable',
];
const readAudit: TableGrant = {
  read: { actions: ['dynamodb:GetItem', 'dynamodb:Query'] },
  deny: AUDIT_APPEND_ONLY,
};
const appendAudit: TableGrant = { ...readAudit, write: ['dynamodb:PutItem'] };

/** What a hold changes on one object version: its legal-hold flag (no tag: the registry is the record). */
const HOLD_ACTIONS = ['s3:PutObjectLegalHold', 's3:GetObjectLegalHold'];

/**
 * The hold functions (apply, release, status) and the on-call role that may
 * invoke them. Only the apply and release roles, and the batch role their
 * S3 Batch Operations jobs run as, may change legal holds: the data stack's
 * bucket policies deny `s3:PutObjectLegalHold` to every other principal, by
 * these roles' fixed names.
 */
export class HoldFunctions extends Construct {
  public readonly apply: LoggedFunction;
  public readonly release: LoggedFunction;
  public readonly status: LoggedFunction;
  /** What on-call assumes to run `logvault hold`: invoke these functions, read the registry. */
  public readonly onCallRole: iam.Role;
  /** Large scopes: the role S3 Batch Operations sets legal holds as. */
  public readonly batchOperations: HoldBatchOperations;
  private readonly registry: TableRef;
  private readonly audit: TableRef;

  constructor(scope: Construct, id: string, props: HoldFunctionsProps) {
    super(scope, id);
    const { config, data } = props;
    this.registry = { table: data.holds.table, key: data.storageKey };
    this.audit = { table: data.holds.auditTable, key: data.storageKey };
    this.batchOperations = new HoldBatchOperations(this, 'BatchOperations', {
      stage: config.stage,
      data,
    });
    this.apply = this.holdFunction(
      props,
      'apply',
      15,
      'Applies a legal hold case (ACME versions or an OCSP extract)',
      functionEnvironment('hold-apply', {
        ...this.changeVariables(props, 'apply'),
        ...athenaQueryVariables({
          stage: config.stage,
          workGroup: jobsWorkGroupName(config.stage),
          database: databaseName(config.stage),
          key: data.storageKey,
          reads: [glueTables.ocspRequests],
          scratch: {
            pattern: `${EXTRACT_TABLE_PREFIX}*`,
            why: 'The extract CTAS creates and drops one table per case (hold_extract_<caseId>); no other table.',
          },
          rawReadWhy:
            'The OCSP extract query reads the raw hourly objects of the case range (read only).',
        }),
      }),
    );
    this.release = this.holdFunction(
      props,
      'release',
      15,
      'Releases a legal hold case',
      functionEnvironment('hold-release', {
        ...this.changeVariables(props, 'release'),
        LOGVAULT_GLUE_DATABASE: extractTableDrop(config.stage),
      }),
    );
    this.status = this.holdFunction(
      props,
      'status',
      1,
      'Shows or lists legal hold cases',
      functionEnvironment('hold-status', {
        HOLD_REGISTRY_TABLE: tableBinding(this.registry, readRegistry),
        HOLD_AUDIT_TABLE: tableBinding(this.audit, readAudit),
      }),
    );
    this.onCallRole = this.createOnCallRole(config.stage);
  }

  private holdFunction(
    props: HoldFunctionsProps,
    op: 'apply' | 'release' | 'status',
    minutes: number,
    description: string,
    environment: FunctionEnvironment,
  ): LoggedFunction {
    return new LoggedFunction(this, op[0]!.toUpperCase() + op.slice(1), {
      stage: props.config.stage,
      name: `hold-${op}`,
      description,
      encryptionKey: props.data.storageKey,
      logRetention: logs.RetentionDays.ONE_YEAR,
      environment,
      timeout: Duration.minutes(minutes),
      roleName: holdRoleNames(props.config.stage)[op],
      // One case at a time per function is plenty; holds are rare, manual actions.
      reservedConcurrency: 2,
    });
  }

  /**
   * What apply and release share: the registry, both buckets, the limits, the
   * batch role. The database each adds with its own rights (Athena for apply).
   */
  private changeVariables(
    props: HoldFunctionsProps,
    op: 'apply' | 'release',
  ): Omit<Variables<typeof holdReleaseEnvironment>, 'LOGVAULT_GLUE_DATABASE'> {
    const { config, data } = props;
    const archive = stageBucket(
      config.stage,
      'subscriber-archive',
      data.storageKey,
      data.subscriberArchive,
    );
    const investigations = stageBucket(
      config.stage,
      'investigations',
      data.storageKey,
      data.investigations,
    );
    return {
      HOLD_REGISTRY_TABLE: tableBinding(this.registry, writeRegistry),
      HOLD_AUDIT_TABLE: tableBinding(this.audit, appendAudit),
      ARCHIVE_BUCKET: bucketBinding(archive, {
        objects: [
          {
            prefix: prefixes.acme,
            // Apply reads ACME objects for content filters.
            actions: op === 'apply' ? [...HOLD_ACTIONS, 's3:GetObjectVersion'] : HOLD_ACTIONS,
            why: 'A case holds any archived ACME object version its time range covers; keys are known only at run time.',
          },
        ],
        bucket: { actions: ['s3:ListBucketVersions'], prefixes: [prefixes.acme] },
      }),
      INVESTIGATIONS_BUCKET: bucketBinding(investigations, {
        objects: [
          {
            prefix: prefixes.cases,
            // Apply writes OCSP extracts (through Athena); release deletes them.
            actions:
              op === 'apply'
                ? [
                    ...HOLD_ACTIONS,
                    's3:PutObject',
                    's3:GetObject',
                    's3:AbortMultipartUpload',
                    's3:DeleteObjectVersion',
                  ]
                : [...HOLD_ACTIONS, 's3:DeleteObjectVersion', 's3:DeleteObject'],
            why: 'Each case writes, holds and deletes its extract under cases/<caseId>/; case ids are created at run time.',
          },
        ],
        bucket: { actions: ['s3:ListBucketVersions', 's3:ListBucket'], prefixes: [prefixes.cases] },
      }),
      // Each case's data key, wrapped under the storage key (docs/holds.md, "Forgetting a case").
      HOLD_CASE_KEY_ID: keyBinding(data.storageKey, 'kms:GenerateDataKey', 'kms:Decrypt'),
      HOLD_CONCURRENCY: String(config.holds.concurrency),
      HOLD_LARGE_SCOPE_THRESHOLD: String(config.holds.largeScopeThreshold),
      OCSP_RAW_EXPIRY_DAYS: String(config.ocsp.rawLogExpiryDays),
      HOLD_BATCH_ROLE_ARN: this.batchOperations.binding(),
    };
  }

  private createOnCallRole(stage: string): iam.Role {
    const role = new iam.Role(this, 'OnCall', {
      roleName: holdRoleNames(stage).onCall,
      description: 'On-call: run logvault hold (invoke the hold functions, read the registry)',
      assumedBy: new iam.AccountPrincipal(Aws.ACCOUNT_ID).withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.apply, this.release, this.status].map((f) => f.function.functionArn),
      }),
    );
    // One statement for both tables: on-call reads cases and their audit trail, nothing else.
    const registry = this.registry.table.tableArn;
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [
          registry,
          arns.tableIndex(registry, registryIndexes.byCase),
          arns.tableIndex(registry, registryIndexes.cases),
          this.audit.table.tableArn,
        ],
      }),
    );
    this.registry.key.grant(role, 'kms:Decrypt');
    Validations.of(role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'The on-call role exists for holds alone; its policy is written for it and reused nowhere.',
    });
    return role;
  }
}
