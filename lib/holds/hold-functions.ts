import { Construct, IConstruct } from 'constructs';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { StageConfig } from '../../core/config/stage-config';
import { LoggedFunction } from '../compute/logged-function';
import type { DataStack } from '../stacks/data-stack';
import { HoldBatchOperations } from './hold-batch-operations';
import {
  BucketPurpose,
  EXTRACT_TABLE_PREFIX,
  NAG_PLACEMENT,
  arns,
  databaseName,
  glueTables,
  holdRoleNames,
  prefixes,
  registryIndexes,
  wildcardFindingId,
  workGroupName,
} from '../../core/naming';
import { DEPLOYED } from '../placement';

export interface HoldFunctionsProps {
  readonly config: StageConfig;
  readonly data: DataStack;
  /** Glue database with `ocsp_requests`. @default `logvault_<stage>` */
  readonly glueDatabase?: string;
  /** Athena workgroup the OCSP extracts run in. @default `logvault-<stage>` */
  readonly athenaWorkgroup?: string;
}

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

  constructor(scope: Construct, id: string, props: HoldFunctionsProps) {
    super(scope, id);
    const { config, data } = props;
    const stage = config.stage;
    const roles = holdRoleNames(stage);
    const database = props.glueDatabase ?? databaseName(stage);
    const workgroup = props.athenaWorkgroup ?? workGroupName(stage);
    const registry = data.holds.table;
    const audit = data.holds.auditTable;
    const environment = {
      HOLD_TABLE: registry.tableName,
      HOLD_AUDIT_TABLE: audit.tableName,
      ARCHIVE_BUCKET: data.subscriberArchive.bucketName,
      INVESTIGATIONS_BUCKET: data.investigations.bucketName,
      HOLD_CONCURRENCY: String(config.holds.concurrency),
      HOLD_LARGE_SCOPE_THRESHOLD: String(config.holds.largeScopeThreshold),
      OCSP_RAW_EXPIRY_DAYS: String(config.ocsp.rawLogExpiryDays),
      LOGVAULT_QUERY_ENGINE: 'athena',
      LOGVAULT_GLUE_DATABASE: database,
      ATHENA_WORKGROUP: workgroup,
    };
    const fn = (name: 'apply' | 'release' | 'status', description: string, minutes: number) =>
      new LoggedFunction(this, name[0]!.toUpperCase() + name.slice(1), {
        stage,
        name: `hold-${name}`,
        description,
        encryptionKey: data.storageKey,
        logRetention: logs.RetentionDays.ONE_YEAR,
        environment,
        timeout: Duration.minutes(minutes),
        roleName: roles[name],
        // One case at a time per function is plenty; holds are rare, manual actions.
        reservedConcurrency: 2,
      });
    this.apply = fn('apply', 'Applies a legal hold case (ACME versions or an OCSP extract)', 15);
    this.release = fn('release', 'Releases a legal hold case', 15);
    this.status = fn('status', 'Shows or lists legal hold cases', 1);

    const objects = (purpose: BucketPurpose, prefix: string) =>
      arns.stageObjects(DEPLOYED, stage, purpose, prefix);
    const archiveAcme = objects('subscriber-archive', prefixes.acme);
    const cases = objects('investigations', prefixes.cases);
    const tableArns = [
      registry.tableArn,
      arns.tableIndex(registry.tableArn, registryIndexes.byCase),
      arns.tableIndex(registry.tableArn, registryIndexes.cases),
    ];

    for (const f of [this.apply, this.release, this.status]) {
      data.storageKey.grant(f.role, 'kms:Decrypt', 'kms:GenerateDataKey');
      f.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:Query'],
          resources: [...tableArns, audit.tableArn],
        }),
      );
      // The audit trail is append-only: no function may change or remove an entry.
      f.role.addToPolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: [
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:PartiQLUpdate',
            'dynamodb:PartiQLDelete',
            'dynamodb:DeleteTable',
            'dynamodb:UpdateTable',
          ],
          resources: [audit.tableArn],
        }),
      );
    }
    for (const f of [this.apply, this.release]) {
      f.role.addToPolicy(
        new iam.PolicyStatement({
          actions: [
            'dynamodb:PutItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
          ],
          resources: [registry.tableArn],
        }),
      );
      f.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [audit.tableArn] }),
      );
      f.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucketVersions'],
          resources: [data.subscriberArchive.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${prefixes.acme}*`] } },
        }),
      );
      f.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucketVersions', 's3:ListBucket'],
          resources: [data.investigations.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${prefixes.cases}*`] } },
        }),
      );
      f.role.addToPolicy(
        new iam.PolicyStatement({
          actions: [
            's3:PutObjectLegalHold',
            's3:GetObjectLegalHold',
            's3:GetObjectVersionTagging',
            's3:PutObjectVersionTagging',
            's3:DeleteObjectVersionTagging',
          ],
          resources: [archiveAcme, cases],
        }),
      );
    }
    // Apply reads ACME objects for content filters and writes OCSP extracts through Athena.
    this.apply.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObjectVersion'], resources: [archiveAcme] }),
    );
    this.apply.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          's3:PutObject',
          's3:GetObject',
          's3:AbortMultipartUpload',
          's3:DeleteObjectVersion',
        ],
        resources: [cases],
      }),
    );
    this.release.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:DeleteObjectVersion', 's3:DeleteObject'],
        resources: [cases],
      }),
    );
    this.grantOcspExtract(this.apply, props, database, workgroup);
    this.batchOperations = new HoldBatchOperations(this, 'BatchOperations', { stage, data });
    for (const f of [this.apply, this.release]) this.batchOperations.grantStartJobs(f);

    this.onCallRole = new iam.Role(this, 'OnCall', {
      roleName: roles.onCall,
      description: 'On-call: run logvault hold (invoke the hold functions, read the registry)',
      assumedBy: new iam.AccountPrincipal(DEPLOYED.account).withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    this.onCallRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.apply, this.release, this.status].map((f) => f.function.functionArn),
      }),
    );
    this.onCallRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [...tableArns, audit.tableArn],
      }),
    );
    data.storageKey.grant(this.onCallRole, 'kms:Decrypt');
    this.acknowledge(stage);
  }

  /** Athena and Glue rights for the OCSP extract CTAS (reads raw logs, writes the case prefix). */
  private grantOcspExtract(
    f: LoggedFunction,
    props: HoldFunctionsProps,
    database: string,
    workgroup: string,
  ): void {
    const { data } = props;
    const objects = (purpose: BucketPurpose, prefix: string) =>
      arns.stageObjects(DEPLOYED, props.config.stage, purpose, prefix);
    f.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
        ],
        resources: [arns.athenaWorkGroup(DEPLOYED, workgroup)],
      }),
    );
    f.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          arns.glueCatalog(DEPLOYED),
          arns.glueDatabase(DEPLOYED, database),
          arns.glueTable(DEPLOYED, database, glueTables.ocspRequests),
        ],
      }),
    );
    f.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetTable', 'glue:CreateTable', 'glue:DeleteTable'],
        resources: [
          arns.glueCatalog(DEPLOYED),
          arns.glueDatabase(DEPLOYED, database),
          arns.glueTable(DEPLOYED, database, `${EXTRACT_TABLE_PREFIX}*`),
        ],
      }),
    );
    f.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:ListBucket'],
        resources: [data.ocspRawLogs.bucketArn, objects('ocsp-raw', prefixes.ocsp)],
      }),
    );
    f.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:GetBucketLocation'],
        resources: [data.queryResults.bucketArn, objects('query-results', '')],
      }),
    );
  }

  /** Each wildcard is one prefix the role's job is defined by; named here with its reason. */
  private acknowledge(stage: string): void {
    const s3Objects = (purpose: BucketPurpose, prefix: string) =>
      arns.stageObjects(NAG_PLACEMENT, stage, purpose, prefix);
    const ack = (role: IConstruct, resource: string, reason: string) =>
      Validations.of(role).acknowledge({ id: wildcardFindingId(resource), reason });
    for (const f of [this.apply, this.release]) {
      ack(
        f.role,
        s3Objects('subscriber-archive', prefixes.acme),
        'A case holds any archived ACME object version its time range covers; keys are known only at run time.',
      );
      ack(
        f.role,
        s3Objects('investigations', prefixes.cases),
        'Each case writes, holds and deletes its extract under cases/<caseId>/; case ids are created at run time.',
      );
    }
    ack(
      this.apply.role,
      s3Objects('ocsp-raw', prefixes.ocsp),
      'The OCSP extract query reads the raw hourly objects of the case range (read only).',
    );
    ack(
      this.apply.role,
      s3Objects('query-results', ''),
      "Athena writes and reads query results in the 1-day query-results bucket on the caller's behalf.",
    );
    ack(
      this.apply.role,
      arns.glueTable(NAG_PLACEMENT, databaseName(stage), `${EXTRACT_TABLE_PREFIX}*`),
      'The extract CTAS creates and drops one table per case (hold_extract_<caseId>); no other table.',
    );
    Validations.of(this.onCallRole).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'The on-call role exists for holds alone; its policy is written for it and reused nowhere.',
    });
  }
}
