import { createHash, randomUUID } from 'node:crypto';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import type { AcmeEventRecord } from '../../../core/ingest/schemas/acme-event';
import { DigestContext } from '../../../core/sealing/digest';
import { hourPath } from '../../../core/sealing/keys';
import { LockPolicy, SealContext } from '../../../core/sealing/seal';
import { Keyring, parseKeyring } from '../../../core/sealing/anchor/keyring';
import { spkiFingerprint } from '../../../core/sealing/anchor/fingerprint';
import { KmsSigner } from '../../../core/sealing/signer';
import { VerifyContext } from '../../../core/sealing/verify';
import { uniqueSuffix, useStandins } from '../../support/standins';
import { keyringEntry, keyringText } from './anchor/support';

/** The dev stage's lock: GOVERNANCE, so tests can remove versions with the bypass header. */
export const DEV_LOCK: LockPolicy = { mode: 'GOVERNANCE', days: 1 };
export const SCAN_DAYS = 4;

export interface SealingFixture {
  readonly clients: ReturnType<typeof useStandins>;
  readonly landing: string;
  readonly archive: string;
  /** The dev keyring as a maintainer publishes it for the fixture's KMS key. */
  readonly keyring: Keyring;
  readonly seal: SealContext;
  readonly digest: DigestContext;
  readonly verify: VerifyContext;
}

/**
 * A landing bucket, a locked archive (default retention like the dev stage)
 * and a KMS ECC_NIST_P256 signing key on moto, all fresh for one test.
 * moto's KMS signs ECDSA correctly with MessageType RAW, so no local signer is needed.
 */
export async function sealingFixture(): Promise<SealingFixture> {
  const clients = useStandins();
  const suffix = uniqueSuffix();
  const landing = `seal-test-${suffix}-landing`;
  const archive = `seal-test-${suffix}-archive`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: landing }));
  await clients.s3.send(
    new CreateBucketCommand({ Bucket: archive, ObjectLockEnabledForBucket: true }),
  );
  await clients.s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: archive,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: DEV_LOCK.mode, Days: DEV_LOCK.days } },
      },
    }),
  );
  const { KeyMetadata } = await clients.kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  const signer = new KmsSigner(clients.kms, KeyMetadata!.KeyId!);
  const keyring = await publishKeyring(signer);
  const trustedKeys = keyring.keys.map((k) => ({ ...k, via: 'keyring' }));
  return {
    clients,
    landing,
    archive,
    keyring,
    seal: { s3: clients.s3, landingBucket: landing, archiveBucket: archive, lock: DEV_LOCK },
    digest: {
      s3: clients.s3,
      archiveBucket: archive,
      signer,
      keyring,
      lock: DEV_LOCK,
      scanDays: SCAN_DAYS,
    },
    verify: { s3: clients.s3, archiveBucket: archive, trustedKeys, scanDays: SCAN_DAYS },
  };
}

/** The keyring text a maintainer publishes for `signer`'s key (from kms:GetPublicKey), parsed as verify does. */
export async function publishKeyring(signer: KmsSigner): Promise<Keyring> {
  const publicKey = await signer.publicKey();
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const entry = keyringEntry({ pem, fingerprint: spkiFingerprint(publicKey) }, new Date(0));
  return parseKeyring(keyringText('dev', [entry]), 'trust/dev/digest-keys.json', 'dev');
}

/** One stored ACME event (the schema sealing validates against), told apart by `tag`. */
export function acmeRecord(tag: string, at = new Date()): AcmeEventRecord {
  return {
    ts: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    account_id: tag.slice(0, 128),
    source_ip: '192.0.2.1',
    endpoint: 'new-order',
    method: 'POST',
    status: 201,
    order_id: null,
    authz_id: null,
    challenge_id: null,
    identifiers: ['example.com'],
    resolved_ips: [],
    validation_method: null,
    validation_target: null,
    validation_result: null,
    user_agent: 'certbot/2.11.0',
    request_body: null,
    response_body: null,
    body_truncated: false,
    line_id: createHash('sha256').update(tag).digest('hex').slice(0, 32),
  };
}

/**
 * Puts an object into landing under a Firehose-style key of `arrival`'s hour;
 * returns the key. Each line of `lines` becomes one valid stored ACME event
 * (the line is its tag), so sealing archives it under acme/.
 */
export async function landObject(
  f: SealingFixture,
  lines: string,
  arrival = new Date(),
): Promise<string> {
  const body = lines
    .split('\n')
    .filter(Boolean)
    .map((tag) => JSON.stringify(acmeRecord(tag, arrival)) + '\n')
    .join('');
  return landRaw(f, body, arrival);
}

/** Puts `body` into landing exactly as given (valid or not) under a Firehose-style key. */
export async function landRaw(
  f: SealingFixture,
  body: string | Uint8Array,
  arrival = new Date(),
): Promise<string> {
  const key = `acme/${hourPath(arrival)}/logvault-test-acme-1-1-${arrival.toISOString().slice(0, 19).replace(/[T:]/g, '-')}-${randomUUID()}`;
  await f.clients.s3.send(new PutObjectCommand({ Bucket: f.landing, Key: key, Body: body }));
  return key;
}

/** EventBridge "Object Created" event for a landing key, as S3 sends it. */
export function objectCreatedEvent(bucket: string, key: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size: 1, etag: 'x', sequencer: '0' },
      'request-id': 'r',
      requester: '123456789012',
      reason: 'PutObject',
    },
  };
}
