import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { NAG_PLACEMENT, arns, prefixes } from '../../core/naming';
import { Binding, binding } from '../compute/function-environment';
import { acknowledgeWildcard, grantBucket, stageBucket } from '../compute/grants';
import { DEPLOYED } from '../placement';

/** What a function's queries touch, beside the workgroup's results. */
export interface QueryAccess {
  readonly stage: string;
  readonly workGroup: string;
  readonly database: string;
  /** Encrypts the raw logs and the query results. */
  readonly key: kms.IKey;
  /** Tables and views the queries read, by name. */
  readonly reads: readonly string[];
  /** The tables its CTAS statements create and drop: a name pattern, and why. */
  readonly scratch: { readonly pattern: string; readonly why: string };
  /** Why the queries read raw OCSP objects. */
  readonly rawReadWhy: string;
}

/**
 * The query variables of a function that runs SQL on Athena, with exactly
 * what its queries need: the workgroup and the results it writes, the
 * catalog entries it reads, creates and drops, and the raw OCSP objects the
 * tables read. Athena acts with the caller's permissions on all of them.
 */
export function athenaQueryVariables(access: QueryAccess): {
  LOGVAULT_QUERY_ENGINE: string;
  LOGVAULT_GLUE_DATABASE: Binding<'database'>;
  ATHENA_WORKGROUP: Binding<'workgroup'>;
} {
  return {
    LOGVAULT_QUERY_ENGINE: 'athena',
    LOGVAULT_GLUE_DATABASE: binding('database', access.database, (role) =>
      grantCatalog(role, access),
    ),
    ATHENA_WORKGROUP: binding('workgroup', access.workGroup, (role) =>
      grantWorkGroup(role, access),
    ),
  };
}

function grantWorkGroup(role: iam.Role, access: QueryAccess): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
      ],
      resources: [arns.athenaWorkGroup(DEPLOYED, access.workGroup)],
    }),
  );
  grantBucket(role, stageBucket(access.stage, 'query-results', access.key), {
    objects: [
      {
        prefix: prefixes.athenaResults,
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        why: 'Athena writes and the function reads query results under ids known only at run time; the bucket expires them after a day.',
      },
    ],
    bucket: { actions: ['s3:ListBucket', 's3:GetBucketLocation'] },
  });
}

/** Athena's documented minimum for queries and CTAS on catalog tables, and the raw data read. */
function grantCatalog(role: iam.Role, access: QueryAccess): void {
  const table = (name: string) => arns.glueTable(DEPLOYED, access.database, name);
  const catalog = [arns.glueCatalog(DEPLOYED), arns.glueDatabase(DEPLOYED, access.database)];
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      resources: [...catalog, ...access.reads.map(table), table(access.scratch.pattern)],
    }),
  );
  // DROP TABLE through Athena also asks to delete the table's partitions.
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['glue:CreateTable', 'glue:DeleteTable', 'glue:BatchDeletePartition'],
      resources: [...catalog, table(access.scratch.pattern)],
    }),
  );
  acknowledgeWildcard(
    role,
    arns.glueTable(NAG_PLACEMENT, access.database, access.scratch.pattern),
    access.scratch.why,
  );
  grantBucket(role, stageBucket(access.stage, 'ocsp-raw', access.key), {
    objects: [{ prefix: prefixes.ocsp, actions: ['s3:GetObject'], why: access.rawReadWhy }],
    bucket: { actions: ['s3:ListBucket', 's3:GetBucketLocation'] },
  });
}
