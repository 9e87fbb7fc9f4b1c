import {
  DeleteBucketLifecycleCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { auditStage } from '../../core/audit/stage-audit';
import { loadTemplates } from '../../local/template-loader';
import { readLiveTemplates } from '../../core/audit/live/templates';
import { promisesOf, synthStage } from '../support/synth';
import { LOCAL_REGION, OwnAccount, useOwnAccount } from '../support/standins';

/**
 * `logvault audit --live` against resources created on the stand-in from the
 * prod template, then deliberately broken the ways an operator could break them.
 */
describe('live audit of the prod data stack on the stand-in', () => {
  let clients: OwnAccount['clients'];
  let liveClients: Parameters<typeof readLiveTemplates>[1];
  let accountId: string;
  const { config, templates } = synthStage('prod');
  const stackName = 'Logvault-prod-Data';
  const data = { [stackName]: templates[stackName] };
  const bucket = (purpose: string) => `logvault-prod-${accountId}-${LOCAL_REGION}-${purpose}`;
  const audit = async () => {
    const live = await readLiveTemplates(data, liveClients, { accountId, region: LOCAL_REGION });
    expect(live.missing).toEqual([]);
    return auditStage(live.templates, promisesOf(config));
  };
  const failures = async () =>
    (await audit()).filter((r) => r.verdict === 'FAIL').flatMap((r) => r.evidence.split('; '));

  beforeAll(async () => {
    // An account of its own: the prod stage's log groups and roles are this file's alone.
    ({ clients, accountId } = await useOwnAccount());
    liveClients = {
      s3: clients.s3,
      logs: new CloudWatchLogsClient({ region: LOCAL_REGION }),
      athena: new AthenaClient({ region: LOCAL_REGION }),
    };
    await loadTemplates([{ stackName, template: templates[stackName] }], clients, {
      accountId,
      region: LOCAL_REGION,
    });
  });

  it('passes every promise the stand-in can hold; the TLS-only Deny it cannot hold is reported', async () => {
    const failed = await failures();
    expect(failed.length).toBe(7);
    for (const f of failed) expect(f).toMatch(/: no TLS-only bucket policy$/);
  });

  it('fails the OCSP promise when the raw bucket loses its lifecycle rule', async () => {
    await clients.s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket('ocsp-raw') }));
    expect(await failures()).toContain(
      `${stackName}/OcspRawLogsBucket: no enabled lifecycle rule expires every object`,
    );
  });

  it('fails the OCSP promise when the Athena results bucket has no expiry', async () => {
    await clients.s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket('query-results') }));
    expect(await failures()).toContain(
      `${stackName}/QueryResultsBucket: no enabled lifecycle rule expires every object`,
    );
  });

  it('fails the subscriber promise when the lock mode is downgraded', async () => {
    await clients.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket('subscriber-archive'),
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2555 } },
        },
      }),
    );
    expect(await failures()).toContain(
      `${stackName}/SubscriberArchiveBucket: default retention mode GOVERNANCE, promised COMPLIANCE`,
    );
  });
});
