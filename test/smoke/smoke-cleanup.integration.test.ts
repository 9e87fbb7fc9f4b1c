import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadStageConfig } from '../../core/config/load-stage-config';
import {
  alarmTopicName,
  awsPlacement,
  bucketName,
  smokeAlarmName,
  smokeQueueName,
} from '../../core/naming';
import { canaryLine, canaryTag, newRunId } from '../../core/smoke/canary';
import { deleteCanaryObject, findCanaries } from '../../core/smoke/s3-search';
import { hourPath } from '../../core/time/hours';
import { CleanupPlan } from '../../core/smoke/cleanup';
import type { SmokeContext } from '../../core/smoke/context';
import { SMOKE_CHECKS, runSmoke } from '../../core/smoke/run';
import { LOCAL_ACCOUNT, LOCAL_REGION, uniqueSuffix, useStandins } from '../support/standins';

/**
 * The failure is real, not injected by a mock: a stage on moto whose alarm
 * topic exists but whose delivery streams were never created, so no canary
 * can arrive. The alarm check still creates its queue, subscription and
 * alarm; the run must exit 1 and remove all three.
 */
describe('logvault smoke on a stage whose canaries cannot arrive', () => {
  const clients = useStandins();
  const region = LOCAL_REGION;
  const stage = `smk${uniqueSuffix()}`;
  const sns = new SNSClient({ region });
  const sqs = new SQSClient({ region });
  const cloudwatch = new CloudWatchClient({ region });
  const runId = newRunId();

  const context = (): SmokeContext => ({
    stage,
    config: loadStageConfig('dev'),
    target: 'stand-ins',
    runId,
    clients: { s3: clients.s3, firehose: new FirehoseClient({ region }), cloudwatch, sns, sqs },
    bucket: (purpose) => bucketName(stage, purpose, awsPlacement(LOCAL_ACCOUNT, region)),
    runner: {
      engine: 'trino',
      run: () => Promise.reject(new Error('this stage has no catalog')),
    },
    hold: () => Promise.resolve({ ok: false, rejected: `case SMOKE-${runId} does not exist` }),
    trust: { keys: [] },
    cleanup: new CleanupPlan(),
    waitMs: 2_000,
    pollMs: 200,
    now: () => new Date(),
    found: { acmeKeys: [] },
  });

  it('fails with exit 1, says why, and removes every canary resource it made', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: alarmTopicName(stage) }));
    const ctx = context();
    const report = await runSmoke(ctx, SMOKE_CHECKS);
    const status = Object.fromEntries(report.results.map((r) => [r.check, r.status]));
    expect(report.exitCode).toBe(1);
    expect(status).toMatchObject({ digest: 'fail', streams: 'fail', seal: 'fail', holds: 'fail' });
    expect(report.results.find((r) => r.check === 'streams')!.detail).toMatch(/ResourceNotFound/);
    expect(report.results.find((r) => r.check === 'digest')!.detail).toMatch(/publishes no key/);
    // The alarm check ran in full beside the failures, and its resources are gone.
    expect(status.alarm).toBe('skip');
    expect(report.cleanup.map((c) => [c.what.split(' ')[0], c.outcome])).toEqual([
      ['alarm', 'removed'],
      ['subscription', 'removed'],
      ['queue', 'removed'],
    ]);
    const queues = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: smokeQueueName(stage, runId) }),
    );
    expect(queues.QueueUrls ?? []).toEqual([]);
    const alarms = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [smokeAlarmName(stage, runId)] }),
    );
    expect(alarms.MetricAlarms).toEqual([]);
    const subscriptions = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(subscriptions.Subscriptions ?? []).toEqual([]);
    // A second cleanup (a rerun after a crash) fails nowhere: the alarm and the
    // queue are already gone; SNS's Unsubscribe of a gone subscription succeeds.
    expect((await ctx.cleanup.run()).map((c) => c.outcome)).toEqual([
      'already-gone',
      'removed',
      'already-gone',
    ]);
  });
});

/**
 * On AWS the streams deliver GZIP (moto delivers plain text): smoke must find
 * its canary inside a compressed object, delete an object of canary lines
 * only, and keep one that also holds a live line.
 */
describe('smoke canaries in GZIP objects, as Firehose writes them on AWS', () => {
  const clients = useStandins();
  const bucket = `smoke-gzip-${uniqueSuffix()}`;
  const now = new Date();
  const runId = newRunId();
  const canary = canaryLine('ocsp', runId, now);
  const tag = canaryTag(runId);
  const put = (key: string, text: string) =>
    clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(text) }));

  it('finds the canary in a compressed object, deletes it, and keeps a mixed one', async () => {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const alone = `ocsp/${hourPath(now)}/alone.gz`;
    const mixed = `ocsp/${hourPath(now)}/mixed.gz`;
    await put(alone, `${canary}\n`);
    await put(mixed, `${canary}\n{"live":true}\n`);
    const search = { s3: clients.s3, buckets: [bucket], prefix: 'ocsp/', since: now };
    const found = await findCanaries(search, [tag], { waitMs: 0, pollMs: 0, now: () => now });
    expect(found.get(tag)?.key).toMatch(/^ocsp\/.*\.gz$/);
    expect(await deleteCanaryObject(clients.s3, bucket, alone)()).toBe('removed');
    expect(await deleteCanaryObject(clients.s3, bucket, mixed)()).toMatchObject({
      kept: expect.stringContaining('live lines'),
    });
  });
});
