import {
  GetObjectLegalHoldCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadTemplates } from '../../local/template-loader';
import type { HoldDeps } from '../../core/holds/deps';
import { HoldRegistry } from '../../core/holds/registry';
import type { SubmittingQueryRunner } from '../../core/query/runner';
import { synthStage } from '../support/synth';
import { LOCAL_REGION, useOwnAccount, useStandins } from '../support/standins';

/** The dev data stack loaded on the stand-in in an account of this file's own, and hold deps for it. */
export interface HoldFixture {
  readonly clients: ReturnType<typeof useStandins>;
  /** The fresh account the stack was loaded under (part of every resource name). */
  readonly accountId: string;
  readonly archive: string;
  /** Where Firehose delivers ACME objects before sealing archives them. */
  readonly landing: string;
  readonly investigations: string;
  readonly ocspRaw: string;
  readonly deps: HoldDeps;
}

const physical = (
  resources: { logicalId: string; type: string; detail: string }[],
  prefix: string,
  type: string,
) => resources.find((r) => r.logicalId.startsWith(prefix) && r.type === type)!.detail;

export async function loadHoldFixture(
  queryRunner: () => SubmittingQueryRunner = () => {
    throw new Error('this test runs no SQL');
  },
): Promise<HoldFixture> {
  // An account of its own: the dev stage's alias, roles and tables are this file's alone.
  const { clients, accountId } = await useOwnAccount();
  const { templates } = synthStage('dev');
  const stackName = 'Logvault-dev-Data';
  const { resources } = await loadTemplates(
    [{ stackName, template: templates[stackName] }],
    clients,
    { accountId, region: LOCAL_REGION },
  );
  const failed = resources.filter((r) => r.status === 'failed' || r.status === 'unsupported');
  if (failed.length > 0) throw new Error(`stack load failed: ${JSON.stringify(failed)}`);
  const archive = physical(resources, 'SubscriberArchiveBucket', 'AWS::S3::Bucket');
  const investigations = physical(resources, 'InvestigationsBucket', 'AWS::S3::Bucket');
  const landing = physical(resources, 'SubscriberLandingBucket', 'AWS::S3::Bucket');
  const ocspRaw = physical(resources, 'OcspRawLogsBucket', 'AWS::S3::Bucket');
  const registry = new HoldRegistry(
    DynamoDBDocumentClient.from(clients.dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    physical(resources, 'HoldsCases', 'AWS::DynamoDB::Table'),
    physical(resources, 'HoldsAudit', 'AWS::DynamoDB::Table'),
  );
  return {
    clients,
    accountId,
    archive,
    landing,
    investigations,
    ocspRaw,
    deps: {
      s3: clients.s3,
      registry,
      buckets: { archive, investigations },
      caseKeys: {
        kms: clients.kms,
        keyId: physical(resources, 'StorageKey', 'AWS::KMS::Key'),
      },
      concurrency: 16,
      largeScopeThreshold: 100_000,
      ocspRawExpiryDays: 5,
      queryRunner,
      glueDatabase: 'logvault_dev',
      glue: clients.glue,
      now: () => new Date(),
    },
  };
}

/** Writes one object (a new version if the key exists) and returns its version id. */
export async function putVersion(
  fixture: HoldFixture,
  bucket: string,
  key: string,
  body: string | Uint8Array,
): Promise<string> {
  const put = await fixture.clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: 'SHA256' }),
  );
  return put.VersionId!;
}

/** One version in the archive, as the tests name it. */
export interface ArchivedVersion {
  readonly key: string;
  readonly versionId: string;
}

/** The legal-hold status of an archive version, read back from the stand-in. */
export async function archiveLegalHold(
  fixture: HoldFixture,
  o: ArchivedVersion,
): Promise<string | undefined> {
  const { LegalHold } = await fixture.clients.s3.send(
    new GetObjectLegalHoldCommand({ Bucket: fixture.archive, Key: o.key, VersionId: o.versionId }),
  );
  return LegalHold?.Status;
}

/** The cases the registry says cover an archive version (the record; no tag carries them). */
export async function coveringCaseNames(
  fixture: HoldFixture,
  o: ArchivedVersion,
): Promise<string | undefined> {
  const ids = await fixture.deps.registry.coveringCases({ bucket: fixture.archive, ...o });
  return ids.length > 0 ? ids.sort().join(' ') : undefined;
}

/** The archive version's tags: holds write none (the `logvault:legal-hold` tag is retired). */
export async function archiveTags(fixture: HoldFixture, o: ArchivedVersion) {
  const { TagSet } = await fixture.clients.s3.send(
    new GetObjectTaggingCommand({ Bucket: fixture.archive, Key: o.key, VersionId: o.versionId }),
  );
  return TagSet ?? [];
}
