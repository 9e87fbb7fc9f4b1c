import { randomUUID } from 'node:crypto';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
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

/** Puts `body` into landing under a Firehose-style key of `arrival`'s hour; returns the key. */
export async function landObject(
  f: SealingFixture,
  body: string,
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
