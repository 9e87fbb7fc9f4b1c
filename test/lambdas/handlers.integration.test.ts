import { CreateKeyCommand, UpdateAliasCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  arns,
  awsPlacement,
  bucketName,
  digestSigningKeyAlias,
  metricDefinitions,
  witnessRoleName,
} from '../../core/naming';
import { digestKey, hourOf, hourPath } from '../../core/sealing/keys';
import { SIGNATURE_METADATA, signingString } from '../../core/sealing/digest';
import { kmsPublicKey, verifySignature } from '../../core/sealing/signer';
import { ResolveContext, resolve } from '../../core/template/intrinsics';
import type { CfnTemplate } from '../../core/template/types';
import { addHours } from '../../core/time/hours';
import { loadTemplates, parameterValues } from '../../local/template-loader';
import { EmittedMetric, emittedMetrics } from '../support/emf';
import {
  LambdaInvokeStandIn,
  functionsFromTemplate,
  startLambdaInvokeStandIn,
} from '../support/lambda-invoke-stand-in';
import { metricReads, unread } from '../support/metric-reads';
import { LOCAL_REGION, OwnAccount, freshAccount, useOwnAccount } from '../support/standins';
import { witnessClient } from '../../core/sealing/anchor/witness';
import { spkiFingerprint } from '../../core/sealing/anchor/fingerprint';
import { keyringEntry, keyringText } from '../core/sealing/anchor/support';
import { acmeRecord } from '../core/sealing/fixture';
import { synthStage } from '../support/synth';

/**
 * The scheduled and event handlers as Lambda runs them: each in its own
 * process, with the environment the synthesized compute stack gives it
 * (resolved against the dev data stack loaded on moto in an account of this file's own),
 * invoked through the Lambda Invoke stand-in. What they emit on stdout is
 * their log, EMF metrics included.
 */
describe('seal, seal-reconciler, seal-digest and retention-monitor handlers', () => {
  const { templates } = synthStage('dev');
  const compute = templates['Logvault-dev-Compute']!;
  let clients: OwnAccount['clients'];
  let accountId: string;
  let landing: string;
  let archive: string;
  const fn = (name: string) => `logvault-dev-${name}`;
  let lambda: LambdaInvokeStandIn;

  const HANDLERS = /^logvault-dev-(seal|seal-reconciler|seal-digest|retention-monitor)$/;

  /** Every variable these functions get from the compute stack, resolved for the stand-ins. */
  function resolvedVariables(template: CfnTemplate, ctx: ResolveContext): Record<string, string> {
    const resolved: Record<string, string> = {};
    for (const r of Object.values(template.Resources ?? {})) {
      const p = r.Properties as {
        FunctionName?: unknown;
        Environment?: { Variables?: Record<string, unknown> };
      };
      if (typeof p?.FunctionName !== 'string' || !HANDLERS.test(p.FunctionName)) continue;
      const env = p.Environment?.Variables;
      for (const [name, value] of Object.entries(env ?? {}))
        if (typeof value !== 'string') resolved[name] = String(resolve(value, ctx));
    }
    return resolved;
  }

  const invoke = async (name: string, event: unknown = {}) => {
    const response = await fetch(
      `${lambda.endpoint}/2015-03-31/functions/${fn(name)}/invocations`,
      {
        method: 'POST',
        body: JSON.stringify(event),
      },
    );
    return {
      error: response.headers.get('x-amz-function-error'),
      payload: (await response.json()) as unknown,
    };
  };
  const metricsOf = (name: string): EmittedMetric[] => emittedMetrics(lambda.log(fn(name)));
  const valueOf = (name: string, metric: string, place?: string) =>
    metricsOf(name).find((m) => m.name === metric && m.dimensions.Place === place)?.value;
  const lastValueOf = (name: string, metric: string) =>
    metricsOf(name)
      .filter((m) => m.name === metric)
      .at(-1)?.value;
  let functions: ReturnType<typeof functionsFromTemplate>;
  const tsaTrustDir = process.env.LOGVAULT_TSA_TRUST_DIR ?? `${__dirname}/../../.run/tsa/trust`;
  /** The dev keyring once a maintainer has published the alias's key. */
  let published: string;
  const digestObjects = async () =>
    (await clients.s3.send(new ListObjectsV2Command({ Bucket: archive, Prefix: 'digests/' })))
      .KeyCount ?? 0;

  beforeAll(async () => {
    // An account of its own: no other file re-points the dev stage's digest-key alias meanwhile.
    ({ clients, accountId } = await useOwnAccount());
    const at = awsPlacement(accountId, LOCAL_REGION);
    landing = bucketName('dev', 'subscriber-landing', at);
    archive = bucketName('dev', 'subscriber-archive', at);
    const stackName = 'Logvault-dev-Data';
    const load = await loadTemplates([{ stackName, template: templates[stackName]! }], clients, {
      accountId,
      region: LOCAL_REGION,
    });
    const failed = load.resources.filter((r) => r.status === 'failed');
    if (failed.length > 0) throw new Error(`data stack load failed: ${JSON.stringify(failed)}`);
    const ctx: ResolveContext = {
      accountId,
      region: LOCAL_REGION,
      stackName: 'Logvault-dev-Compute',
      resources: new Map(),
      exports: new Map(load.exports),
      parameters: parameterValues(compute, load.ssmParameters),
    };
    functions = functionsFromTemplate(compute, HANDLERS, resolvedVariables(compute, ctx));
    lambda = await startLambdaInvokeStandIn({ region: LOCAL_REGION, accountId, functions });
  }, 180_000);
  afterAll(() => lambda?.close());

  const landingKey = () =>
    `acme/${hourPath(new Date())}/logvault-dev-acme-1-1-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const putLanding = (key: string) =>
    clients.s3.send(
      new PutObjectCommand({
        Bucket: landing,
        Key: key,
        Body: JSON.stringify(acmeRecord(key)) + '\n',
      }),
    );

  it('seal: seals the object its event names into the locked archive and empties landing', async () => {
    const key = landingKey();
    await putLanding(key);
    const event = {
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: landing }, object: { key } },
    };
    const { error, payload } = await invoke('seal', event);
    expect(error).toBeNull();
    expect(payload).toMatchObject({ key, status: 'sealed' });
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: archive, Key: key }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    const left = await clients.s3.send(new ListObjectsV2Command({ Bucket: landing, Prefix: key }));
    expect(left.KeyCount).toBe(0);
  }, 60_000);

  it('seal: refuses an event for another bucket, touching nothing', async () => {
    const event = {
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: 'someone-elses-bucket' }, object: { key: 'acme/x' } },
    };
    const { error, payload } = await invoke('seal', event);
    expect(error).toBe('Unhandled');
    expect(JSON.stringify(payload)).toMatch(
      /expected logvault-dev-\d+-us-east-1-subscriber-landing/,
    );
  });

  it('seal-reconciler: leaves objects younger than reconcileAfterMinutes to the event path and reports it', async () => {
    const key = landingKey();
    await putLanding(key);
    const { error } = await invoke('seal-reconciler');
    expect(error).toBeNull();
    expect(valueOf('seal-reconciler', 'ReconcilerSealedObjects')).toBe(0);
    expect(valueOf('seal-reconciler', 'SealFailures')).toBe(0);
    const age = valueOf('seal-reconciler', 'LandingOldestObjectAgeHours');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(1);
    const left = await clients.s3.send(new ListObjectsV2Command({ Bucket: landing, Prefix: key }));
    expect(left.KeyCount).toBe(1);
  }, 60_000);

  it('seal-digest: as synthesized from the committed dev keyring (no key published yet), signs nothing and alarms', async () => {
    const { error } = await invoke('seal-digest');
    expect(error).toBeNull();
    expect(await digestObjects()).toBe(0);
    expect(lastValueOf('seal-digest', 'DigestSigningRefused')).toBe(1);
  }, 60_000);

  it('seal-digest: once the alias key is published in the keyring, writes the signed digest of the last complete hour', async () => {
    const publicKey = await kmsPublicKey(clients.kms, digestSigningKeyAlias('dev'));
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    published = keyringText('dev', [
      keyringEntry({ pem, fingerprint: spkiFingerprint(publicKey) }, new Date(0)),
    ]);
    const digestFn = functions.find((f) => f.name === fn('seal-digest'))!;
    // A witness account of its own (moto keeps accounts apart), its bucket made through its role.
    const witnessAccount = freshAccount();
    const witnessRole = arns.role(
      { partition: 'aws', account: witnessAccount },
      witnessRoleName('dev'),
    );
    const witness = witnessClient(witnessRole, 'jest');
    const witnessBucket = `witness-${witnessAccount}`;
    await witness.send(
      new CreateBucketCommand({ Bucket: witnessBucket, ObjectLockEnabledForBucket: true }),
    );
    // The TSA stand-in (scripts/tsa.sh) instead of the pinned public TSAs: no internet here.
    lambda.deploy({
      ...digestFn,
      environment: {
        ...digestFn.environment,
        DIGEST_KEYRING: published,
        TSA_TRUST_DIR: tsaTrustDir,
        TSA_NAMES: '["local"]',
        // As `anchoring.witness` sets them.
        WITNESS_ROLE_ARN: witnessRole,
        WITNESS_BUCKET: witnessBucket,
      },
    });
    const { error } = await invoke('seal-digest');
    expect(error).toBeNull();
    const key = digestKey(addHours(hourOf(new Date()), -1));
    const digest = await clients.s3.send(new GetObjectCommand({ Bucket: archive, Key: key }));
    const body = await digest.Body!.transformToByteArray();
    const signature = Buffer.from(digest.Metadata![SIGNATURE_METADATA]!, 'base64');
    expect(verifySignature(publicKey, signingString(key, body), signature)).toBe(true);
    expect(lastValueOf('seal-digest', 'DigestChainBreaks')).toBe(0);
    expect(lastValueOf('seal-digest', 'DigestSigningRefused')).toBe(0);
    const anchor = await clients.s3.send(
      new GetObjectCommand({ Bucket: archive, Key: `anchors/${key.slice('digests/'.length)}` }),
    );
    const record = JSON.parse(await anchor.Body!.transformToString()) as { head: { key: string } };
    expect(record.head.key).toBe(key);
    expect(anchor.ObjectLockMode).toBe('GOVERNANCE');
    expect(lastValueOf('seal-digest', 'AnchorFailures')).toBe(0);
    // Published out of the account through the witness role, byte for byte.
    const copy = await witness.send(
      new GetObjectCommand({
        Bucket: witnessBucket,
        Key: `dev/anchors/${key.slice('digests/'.length)}`,
      }),
    );
    expect(await copy.Body!.transformToString()).toBe(JSON.stringify(record, null, 2) + '\n');
    expect(lastValueOf('seal-digest', 'AnchorPublicationFailures')).toBe(0);
  }, 60_000);

  it('seal-digest: an insider who points the function at a key of their own (UpdateFunctionConfiguration) gets no digest signed, and the alarm metric fires', async () => {
    const before = await digestObjects();
    const { KeyMetadata } = await clients.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    // The alias too, as verify's warning compares it: neither decides what the function may sign.
    await clients.kms.send(
      new UpdateAliasCommand({
        AliasName: digestSigningKeyAlias('dev'),
        TargetKeyId: KeyMetadata!.KeyId!,
      }),
    );
    const digestFn = functions.find((f) => f.name === fn('seal-digest'))!;
    lambda.deploy({
      ...digestFn,
      environment: {
        ...digestFn.environment,
        DIGEST_KEYRING: published,
        TSA_TRUST_DIR: tsaTrustDir,
        TSA_NAMES: '["local"]',
        DIGEST_KEY_ID: KeyMetadata!.Arn!,
      },
    });
    const { error } = await invoke('seal-digest');
    expect(error).toBeNull();
    expect(await digestObjects()).toBe(before);
    expect(lastValueOf('seal-digest', 'DigestSigningRefused')).toBe(1);
    expect(lambda.log(fn('seal-digest'))).toMatch(/is not in the dev keyring/);
  }, 60_000);

  it('retention-monitor: measures every watched place, closed-case extracts and open cases', async () => {
    const { error } = await invoke('retention-monitor');
    expect(error).toBeNull();
    expect(valueOf('retention-monitor', 'OldestObjectAgeHours', 'ocsp-raw')).toBe(0);
    expect(valueOf('retention-monitor', 'OldestObjectAgeHours', 'query-results')).toBe(0);
    expect(valueOf('retention-monitor', 'ClosedCaseExtractObjects')).toBe(0);
    expect(valueOf('retention-monitor', 'OpenCases')).toBe(0);
  }, 60_000);

  it('emits only metrics an alarm or the dashboard reads, and every metric it defines', () => {
    const emitted = ['seal', 'seal-reconciler', 'seal-digest', 'retention-monitor'].flatMap(
      metricsOf,
    );
    const reads = metricReads(templates);
    expect(unread(emitted, reads)).toEqual([]);
    // The same metric with one more dimension (Powertools' `service`) would be a metric nobody reads.
    const withService = { ...emitted[0]!, dimensions: { ...emitted[0]!.dimensions, service: 'x' } };
    expect(unread([withService], reads)).toHaveLength(1);
    const defined = Object.values(metricDefinitions)
      .filter((d) => ['seal-reconciler', 'retention-monitor', 'seal-digest'].includes(d.emittedBy))
      .map((d) => d.name);
    expect(new Set(emitted.map((m) => m.name))).toEqual(new Set(defined));
  });
});
