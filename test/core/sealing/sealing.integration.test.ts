import {
  CreateDeliveryStreamCommand,
  FirehoseClient,
  PutRecordBatchCommand,
} from '@aws-sdk/client-firehose';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../../local/resources/dynamodb';
import { synthStage } from '../../support/synth';
import { acmeTraffic } from '../../../core/traffic';
import { acmeEventInput } from '../../../core/ingest/schemas/acme-event';
import { lineIdOf } from '../../../core/ingest/line-id';

const origin = (line: object) => ({
  source: 'test',
  position: 0,
  bytes: Buffer.from(JSON.stringify(line)),
});
import { handler as sealHandler } from '../../../lambdas/seal';
import { writeDigests } from '../../../core/sealing/digest';
import { DAY_MS, addHours, hourOf } from '../../../core/sealing/keys';
import { SealConflictError, sealObject, sealPending } from '../../../core/sealing/seal';
import { verifyArchive } from '../../../core/sealing/verify';
import {
  DEV_LOCK,
  SealingFixture,
  landObject,
  objectCreatedEvent,
  sealingFixture,
} from './fixture';

async function versionsOf(f: SealingFixture, prefix: string) {
  const page = await f.clients.s3.send(
    new ListObjectVersionsCommand({ Bucket: f.archive, Prefix: prefix }),
  );
  return page.Versions ?? [];
}

async function landingKeys(f: SealingFixture): Promise<string[]> {
  const page = await f.clients.s3.send(new ListObjectsV2Command({ Bucket: f.landing }));
  return (page.Contents ?? []).map((o) => o.Key!);
}

/**
 * The seal function also looks for open hold cases to hold what it archives
 * (standing holds): empty registry and audit tables, shaped as dev declares them.
 */
async function emptyHoldTables(f: SealingFixture): Promise<{ registry: string; audit: string }> {
  const names = { registry: `${f.landing}-holds`, audit: `${f.landing}-hold-audit` };
  const data = synthStage('dev').templates['Logvault-dev-Data'];
  for (const [id, resource] of Object.entries(data.Resources ?? {})) {
    const name = id.startsWith('HoldsCases')
      ? names.registry
      : id.startsWith('HoldsAudit')
        ? names.audit
        : undefined;
    if (name === undefined || resource.Type !== 'AWS::DynamoDB::Table') continue;
    const input = createTableInput({
      ...resource.Properties,
      TableName: name,
      SSESpecification: undefined,
    });
    await f.clients.dynamodb.send(new CreateTableCommand(input));
  }
  return names;
}

async function useHandlerEnvironment(f: SealingFixture): Promise<void> {
  const tables = await emptyHoldTables(f);
  Object.assign(process.env, {
    POWERTOOLS_SERVICE_NAME: 'logvault-seal',
    LOGVAULT_STAGE: 'dev',
    LANDING_BUCKET: f.landing,
    ARCHIVE_BUCKET: f.archive,
    HOLD_REGISTRY_TABLE: tables.registry,
    HOLD_AUDIT_TABLE: tables.audit,
    // Unwraps a filtered case's data key; no case is open here, so it is never called.
    HOLD_CASE_KEY_ID: 'alias/no-case-is-open',
    LOCK_MODE: DEV_LOCK.mode,
    LOCK_DAYS: String(DEV_LOCK.days),
    SCAN_DAYS: '4',
  });
}

describe('sealing subscriber logs on the stand-in', () => {
  it('seals every shipped line into the archive, locked until the configured date, and empties landing', async () => {
    // Prepare: Firehose (moto) delivers ACME lines into landing under acme/YYYY/MM/dd/HH/.
    const f = await sealingFixture();
    const firehose = new FirehoseClient({});
    const stream = `${f.landing}-acme-1`;
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: stream,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          RoleARN: 'arn:aws:iam::123456789012:role/firehose',
          BucketARN: `arn:aws:s3:::${f.landing}`,
          Prefix: 'acme/',
        },
      }),
    );
    const end = new Date();
    // Stored records, as the shipper or the Firehose transformation writes them (with line_id).
    const lines = [
      ...acmeTraffic({ seed: 7, start: new Date(end.getTime() - 3_600_000), end, lines: 300 }),
    ].map(
      (l, i) =>
        JSON.stringify({ ...acmeEventInput.parse(l), line_id: lineIdOf(origin(l), i) }) + '\n',
    );
    for (let i = 0; i < lines.length; i += 100)
      await firehose.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: stream,
          Records: lines.slice(i, i + 100).map((l) => ({ Data: Buffer.from(l) })),
        }),
      );
    const landed = await landingKeys(f);
    expect(landed.length).toBe(3);
    expect(landed.every((k) => /^acme\/\d{4}\/\d{2}\/\d{2}\/\d{2}\//.test(k))).toBe(true);

    // Act: one EventBridge event per object, as S3 sends them.
    await useHandlerEnvironment(f);
    const before = Date.now();
    const outcomes = [];
    for (const key of landed) outcomes.push(await sealHandler(objectCreatedEvent(f.landing, key)));

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['sealed', 'sealed', 'sealed']);
    expect(await landingKeys(f)).toEqual([]);
    const archived: string[] = [];
    for (const key of landed) {
      const head = await f.clients.s3.send(
        new HeadObjectCommand({ Bucket: f.archive, Key: key, ChecksumMode: 'ENABLED' }),
      );
      expect(head.ObjectLockMode).toBe('GOVERNANCE');
      const until = head.ObjectLockRetainUntilDate!.getTime();
      expect(until).toBeGreaterThanOrEqual(before + DEV_LOCK.days * DAY_MS - 1000);
      expect(until).toBeLessThanOrEqual(Date.now() + DEV_LOCK.days * DAY_MS + 1000);
      const body = await (
        await f.clients.s3.send(new GetObjectCommand({ Bucket: f.archive, Key: key }))
      ).Body!.transformToString();
      expect(head.ChecksumSHA256).toBe(createHash('sha256').update(body).digest('base64'));
      archived.push(
        ...body
          .split('\n')
          .filter(Boolean)
          .map((l) => l + '\n'),
      );
    }
    expect(archived.sort()).toEqual([...lines].sort());
  });

  it('makes exactly one archive copy for redelivered and concurrently duplicated events', async () => {
    const f = await sealingFixture();
    await useHandlerEnvironment(f);
    const redelivered = await landObject(f, '{"a":1}\n');
    const duplicated = await landObject(f, '{"b":2}\n');

    const sequential = [];
    for (let i = 0; i < 3; i++)
      sequential.push(await sealHandler(objectCreatedEvent(f.landing, redelivered)));
    const concurrent = await Promise.all(
      Array.from({ length: 4 }, () => sealObject(f.seal, duplicated).catch((e: Error) => e)),
    );

    expect(sequential.map((o) => o.status)).toEqual(['sealed', 'already-sealed', 'already-sealed']);
    expect(new Set(sequential.map((o) => o.versionId)).size).toBe(1);
    // Racing copies either seal, find the winner's copy, or find landing already gone.
    expect(concurrent.filter((o) => 'status' in o && o.status === 'sealed').length).toBe(1);
    expect(concurrent.every((o) => 'status' in o)).toBe(true);
    expect(await versionsOf(f, redelivered)).toHaveLength(1);
    expect(await versionsOf(f, duplicated)).toHaveLength(1);
    expect(await landingKeys(f)).toEqual([]);
  });

  it('reconciles: seals only objects older than the threshold and reports the oldest left', async () => {
    const f = await sealingFixture();
    await landObject(f, '{"c":1}\n');
    await landObject(f, '{"c":2}\n');

    const tooYoung = await sealPending(f.seal, { olderThan: new Date(Date.now() - 60_000) });
    expect(tooYoung.outcomes).toEqual([]);
    expect((await landingKeys(f)).length).toBe(2);

    const all = await sealPending(f.seal);
    expect(all.outcomes.map((o) => o.status)).toEqual(['sealed', 'sealed']);
    expect(all.failures).toEqual([]);
    expect(all.oldestRemainingAgeHours).toBe(0);
    expect(await landingKeys(f)).toEqual([]);
  });

  it('rejects events that are not Object Created in its landing bucket, touching nothing', async () => {
    const f = await sealingFixture();
    await useHandlerEnvironment(f);
    const key = await landObject(f, '{"e":1}\n');
    await expect(sealHandler(objectCreatedEvent('some-other-bucket', key))).rejects.toThrow(
      /expected/,
    );
    await expect(
      sealHandler({ ...objectCreatedEvent(f.landing, key), 'detail-type': 'Object Deleted' }),
    ).rejects.toThrow();
    expect(await landingKeys(f)).toEqual([key]);
    expect(await versionsOf(f, key)).toHaveLength(0);
  });

  it('never overwrites different bytes already archived under the key, and keeps landing', async () => {
    const f = await sealingFixture();
    const key = await landObject(f, '{"d":"landing"}\n');
    await f.clients.s3.send(
      new PutObjectCommand({
        Bucket: f.archive,
        Key: key,
        Body: '{"d":"other"}\n',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    await expect(sealObject(f.seal, key)).rejects.toThrow(SealConflictError);
    const pending = await sealPending(f.seal);
    expect(pending.failures.map((x) => x.key)).toEqual([key]);
    expect(await landingKeys(f)).toEqual([key]);
    expect(await versionsOf(f, key)).toHaveLength(1);
  });

  it('digests an object sealed late in the hour it was sealed, whatever its key hour', async () => {
    const f = await sealingFixture();
    const twoDaysAgo = new Date(Date.now() - 2 * DAY_MS);
    const key = await landObject(f, '{"late":true}\n', twoDaysAgo);
    await sealPending(f.seal);
    const now = hourOf(new Date());
    const { written } = await writeDigests(f.digest, { through: now, genesis: addHours(now, -1) });
    expect(written.map((w) => w.objects)).toEqual([0, 1]);
    const report = await verifyArchive(f.verify, { from: addHours(now, -1), to: now });
    expect(report.findings).toEqual([]);
    expect(report.objects).toBe(1);
    expect(key.startsWith('acme/' + twoDaysAgo.toISOString().slice(0, 4))).toBe(true);
  });
});
