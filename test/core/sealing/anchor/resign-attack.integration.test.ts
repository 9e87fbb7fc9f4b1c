import {
  CreateAliasCommand,
  CreateKeyCommand,
  KMSClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readAnchorFiles, writeAnchorFile } from '../../../../core/sealing/anchor/anchor-files';
import { AnchorRecord, anchorRecord } from '../../../../core/sealing/anchor/anchor-record';
import {
  AnchorCandidate,
  ChainLink,
  checkAnchors,
} from '../../../../core/sealing/anchor/check-anchors';
import { spkiFingerprint } from '../../../../core/sealing/anchor/fingerprint';
import { parseKeyring } from '../../../../core/sealing/anchor/keyring';
import {
  TRANSITION_FORMAT,
  signTransition,
  transitionImprint,
} from '../../../../core/sealing/anchor/transition';
import { requestTimestamp } from '../../../../core/sealing/anchor/tsa-client';
import {
  TransitionCandidate,
  TrustedKey,
  resolveTrustedKeys,
  verifyDigestSignature,
} from '../../../../core/sealing/anchor/trusted-keys';
import { SIGNATURE_METADATA, signingString, writeDigests } from '../../../../core/sealing/digest';
import { addHours, digestKey, hourOf } from '../../../../core/sealing/keys';
import { sealPending } from '../../../../core/sealing/seal';
import { KmsSigner, kmsPublicKey } from '../../../../core/sealing/signer';
import { verifyArchive } from '../../../../core/sealing/verify';
import { overrideKey } from '../../../../core/sealing/verify/trust';
import { uniqueSuffix } from '../../../support/standins';
import { landObject, sealingFixture } from '../fixture';
import { PUBLISHER, testTsa } from './support';

/**
 * The first tamper, end to end on the stand-ins (moto S3 and KMS,
 * the openssl TSA): an account administrator rewrites the digest chain,
 * re-signs it, points the signing alias at a key they made, and forges a
 * backdated rotation with the old KMS key (root may use it). Today's
 * verify, taking its key from the alias, finds nothing; the published
 * keyring and the external anchor each catch it.
 */
let tsa: Awaited<ReturnType<typeof testTsa>>;

type Archive = Awaited<ReturnType<typeof anchoredArchive>>;

async function readBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

/** An anchor of the digest of `hour`, as the digest function will write it. */
async function anchorHead(s3: S3Client, bucket: string, hour: Date): Promise<AnchorRecord> {
  const sha256 = createHash('sha256')
    .update(await readBytes(s3, bucket, digestKey(hour)))
    .digest();
  const stamp = await requestTimestamp(sha256, { url: tsa.url, trust: tsa.trust });
  return anchorRecord(
    { stage: 'dev', archiveBucket: bucket },
    { key: digestKey(hour), sha256: sha256.toString('hex') },
    [stamp],
  );
}

/** The keyring a maintainer publishes from the key as deployed (`kms get-public-key`). */
async function publishedKeyring(kms: KMSClient, alias: string, notBefore: Date) {
  const published = await kmsPublicKey(kms, alias);
  const entry = {
    fingerprint: spkiFingerprint(published),
    publicKeyPem: published.export({ type: 'spki', format: 'pem' }).toString(),
    algorithm: 'ECDSA_P256_SHA256',
    notBefore: notBefore.toISOString(),
    notAfter: null,
    publishedBy: PUBLISHER,
  };
  const text = JSON.stringify({ format: 'logvault-keyring/1', stage: 'dev', keys: [entry] });
  return parseKeyring(text, 'trust/dev/digest-keys.json', 'dev');
}

/** Three sealed objects, a three-hour chain signed behind an alias, published keyring and anchor. */
async function anchoredArchive() {
  const f = await sealingFixture();
  const { kms, s3 } = f.clients;
  const alias = `alias/logvault-test-${uniqueSuffix()}-digest-signing`;
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: f.digest.signer.keyId }));
  const objects = [];
  for (let i = 0; i < 3; i++) objects.push(await landObject(f, `{"n":${i}}\n`));
  await sealPending(f.seal);
  const through = hourOf(new Date());
  const genesis = addHours(through, -2);
  await writeDigests(f.digest, { through, genesis });
  const keyring = await publishedKeyring(kms, alias, genesis);
  const publicRepo = join(__dirname, '../../../../.run/test-anchors', uniqueSuffix());
  await writeAnchorFile(publicRepo, through, await anchorHead(s3, f.archive, through));
  return { f, alias, objects, genesis, through, keyring, publicRepo };
}

/** An administrator's removal of every version under `prefix`, bypassing the GOVERNANCE lock. */
async function removeAllVersions(a: Archive, prefix: string) {
  const { s3 } = a.f.clients;
  const page = await s3.send(
    new ListObjectVersionsCommand({ Bucket: a.f.archive, Prefix: prefix }),
  );
  for (const v of page.Versions ?? [])
    await s3.send(
      new DeleteObjectCommand({
        Bucket: a.f.archive,
        Key: v.Key,
        VersionId: v.VersionId,
        BypassGovernanceRetention: true,
      }),
    );
}

/** Each digest of the chain checked with the trusted key it claims; its links for checkAnchors. */
async function checkDigests(a: Archive, keys: readonly TrustedKey[], findings: string[]) {
  const { s3, kms } = a.f.clients;
  const links: ChainLink[] = [];
  for (let hour = a.genesis; hour <= a.through; hour = addHours(hour, 1)) {
    const key = digestKey(hour);
    const got = await s3.send(new GetObjectCommand({ Bucket: a.f.archive, Key: key }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    // digest/1 names a KMS key id, not a fingerprint: the id only says which key is claimed.
    const claimed = await kmsPublicKey(kms, JSON.parse(body.toString()).signingKeyId);
    const check = verifyDigestSignature(keys, {
      fingerprint: spkiFingerprint(claimed),
      hourStart: hour,
      message: signingString(key, body),
      signature: Buffer.from(got.Metadata![SIGNATURE_METADATA], 'base64'),
    });
    if (!check.ok) findings.push(`${key} ${check.reason}`);
    const sha256 = createHash('sha256').update(body).digest('hex');
    links.push({ key, hourEnd: addHours(hour, 1), sha256 });
  }
  return links;
}

/**
 * What default verify will do after integration: trust from the keyring and
 * transitions, every digest checked with the key it names, the alias only
 * compared, the chain compared with the anchors published outside.
 */
async function audit(
  a: Archive,
  extra: { transitions?: TransitionCandidate[]; anchors?: AnchorCandidate[] } = {},
): Promise<string[]> {
  const findings: string[] = [];
  const context = { tsa: tsa.trust, archiveBucket: a.f.archive };
  const trusted = await resolveTrustedKeys(a.keyring, extra.transitions ?? [], context);
  findings.push(...trusted.rejected.map((r) => `transition ${r.reason}`));
  const aliasKey = spkiFingerprint(await kmsPublicKey(a.f.clients.kms, a.alias));
  if (!trusted.keys.some((k) => k.fingerprint === aliasKey))
    findings.push('alias points at an untrusted key');
  const links = await checkDigests(a, trusted.keys, findings);
  const anchors = [...(await readAnchorFiles(a.publicRepo)), ...(extra.anchors ?? [])];
  const checked = await checkAnchors({
    links,
    anchors,
    tsa: tsa.trust,
    stage: 'dev',
    archiveBucket: a.f.archive,
    now: new Date(),
  });
  findings.push(...checked.findings.map((x) => `${x.key} ${x.kind}`));
  return findings.sort();
}

/** The administrator deletes one archived object version, bypassing the GOVERNANCE lock. */
async function deleteObject(a: Archive, key: string) {
  const { s3 } = a.f.clients;
  const versions = await s3.send(
    new ListObjectVersionsCommand({ Bucket: a.f.archive, Prefix: key }),
  );
  await s3.send(
    new DeleteObjectCommand({
      Bucket: a.f.archive,
      Key: key,
      VersionId: versions.Versions![0].VersionId,
      BypassGovernanceRetention: true,
    }),
  );
}

/**
 * The first tamper, end to end on the stand-ins (moto S3 and KMS,
 * the openssl TSA): an account administrator rewrites the digest chain,
 * re-signs it, points the signing alias at a key they made, and forges a
 * backdated rotation with the old KMS key (root may use it). Today's
 * verify, taking its key from the alias, finds nothing; the published
 * keyring and the external anchor each catch it.
 */
describe('re-signed history against published keys and external anchors', () => {
  beforeAll(async () => {
    tsa = await testTsa();
  });
  afterAll(() => tsa.close());

  it('finds nothing wrong before the tamper', async () => {
    expect(await audit(await anchoredArchive())).toEqual([]);
  });

  /** The old KMS key signs a rotation to `to` effective from genesis; a real TSA dates it now. */
  async function backdatedRotation(a: Archive, to: KmsSigner): Promise<TransitionCandidate> {
    const { kms } = a.f.clients;
    const newKey = await kmsPublicKey(kms, to.keyId);
    const signed = await signTransition(
      {
        format: TRANSITION_FORMAT,
        stage: 'dev',
        archiveBucket: a.f.archive,
        from: spkiFingerprint(await kmsPublicKey(kms, a.f.digest.signer.keyId)),
        to: {
          fingerprint: spkiFingerprint(newKey),
          publicKeyPem: newKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
        effectiveFrom: a.genesis.toISOString(),
        reason: 'rotation',
      },
      a.f.digest.signer,
      to,
    );
    const stamp = await requestTimestamp(transitionImprint(signed), {
      url: tsa.url,
      trust: tsa.trust,
    });
    const timestamps = [Buffer.from(stamp.token).toString('base64')];
    return {
      source: 'archive:digests/key-transitions/forged.json',
      record: { ...signed, timestamps },
    };
  }

  it('catches a chain re-signed with a new key behind the swapped alias, and the backdated rotation', async () => {
    const a = await anchoredArchive();
    const { kms, s3 } = a.f.clients;
    // The tamper: drop an object, rewrite every digest signed by a new key, swap the alias.
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const k2 = new KmsSigner(kms, KeyMetadata!.KeyId!);
    await deleteObject(a, a.objects[1]);
    await removeAllVersions(a, 'digests/');
    // The admin's own script: no keyring stops it from signing with the new key.
    const forger = { ...a.f.digest, signer: k2, keyring: undefined };
    await writeDigests(forger, { through: a.through, genesis: a.genesis });
    await kms.send(new UpdateAliasCommand({ AliasName: a.alias, TargetKeyId: k2.keyId }));

    // Verify trusting the key the alias names (the old default) is satisfied by the rewrite;
    // verify trusting the published keyring reports every re-signed digest.
    const range = { from: a.genesis, to: a.through };
    const aliasKey = overrideKey(await kmsPublicKey(kms, a.alias), a.alias);
    const viaAlias = { ...a.f.verify, trustedKeys: [aliasKey] };
    expect((await verifyArchive(viaAlias, range)).findings).toEqual([]);
    const published = await verifyArchive(a.f.verify, range);
    // The re-signed digests vouch for nothing, so the objects they list are undigested too.
    expect(published.findings.map((x) => `${x.key} ${x.kind}`).sort()).toEqual(
      [
        ...[a.genesis, addHours(a.genesis, 1), a.through].map((h) => `${digestKey(h)} unknown-key`),
        `${a.objects[0]} unaccounted-object`,
        `${a.objects[2]} unaccounted-object`,
      ].sort(),
    );

    const forgedRotation = await backdatedRotation(a, k2);
    // The admin also anchors the rewritten head afresh: a valid token, but the published anchor remains.
    const freshAnchor = {
      source: 'archive:anchors/forged.json',
      record: await anchorHead(s3, a.f.archive, a.through),
    };
    const h = (hour: Date) => digestKey(hour);
    expect(await audit(a, { transitions: [forgedRotation], anchors: [freshAnchor] })).toEqual(
      [
        'alias points at an untrusted key',
        'transition timestamped-after-effect',
        `${h(a.genesis)} unknown-key`,
        `${h(addHours(a.genesis, 1))} unknown-key`,
        `${h(a.through)} unknown-key`,
        `${h(a.through)} anchor-mismatch`,
      ].sort(),
    );
  });

  it('catches a chain rewritten and re-signed with the published key itself: only the anchor can', async () => {
    const a = await anchoredArchive();
    await deleteObject(a, a.objects[1]);
    await removeAllVersions(a, 'digests/');
    // Root's kms:* lets the admin sign with the published key: every signature is genuine.
    await writeDigests(a.f.digest, { through: a.through, genesis: a.genesis });
    const range = { from: a.genesis, to: a.through };
    expect((await verifyArchive(a.f.verify, range)).findings).toEqual([]);
    expect(await audit(a)).toEqual([`${digestKey(a.through)} anchor-mismatch`]);
  });
});
