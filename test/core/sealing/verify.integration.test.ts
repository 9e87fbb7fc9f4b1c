import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { SIGNATURE_METADATA, signingString, writeDigests } from '../../../core/sealing/digest';
import { addHours, digestKey, hourOf } from '../../../core/sealing/keys';
import { sealPending } from '../../../core/sealing/seal';
import { KmsSigner } from '../../../core/sealing/signer';
import { FindingKind, verifyArchive } from '../../../core/sealing/verify';
import { SealingFixture, landObject, sealingFixture } from './fixture';

/**
 * Each case seals three objects, writes a four-hour chain (genesis three hours
 * ago; the objects are in the current hour's digest), tampers, and verifies.
 * The archive is GOVERNANCE-locked like the dev stage, so the "missing" cases
 * remove versions with the governance bypass, as only an administrator could.
 */
async function sealedChain() {
  const f = await sealingFixture();
  const keys = [];
  for (let i = 0; i < 3; i++) keys.push(await landObject(f, `{"n":${i}}\n`));
  await sealPending(f.seal);
  const through = hourOf(new Date());
  const from = addHours(through, -3);
  await writeDigests(f.digest, { through, genesis: from });
  const verify = () => verifyArchive(f.verify, { from, to: through });
  return { f, keys, from, through, verify };
}

async function currentVersion(f: SealingFixture, key: string): Promise<string> {
  const page = await f.clients.s3.send(
    new ListObjectVersionsCommand({ Bucket: f.archive, Prefix: key }),
  );
  return page.Versions!.find((v) => v.IsLatest)!.VersionId!;
}

async function readDigest(f: SealingFixture, key: string) {
  const got = await f.clients.s3.send(new GetObjectCommand({ Bucket: f.archive, Key: key }));
  return { body: await got.Body!.transformToString(), metadata: got.Metadata ?? {} };
}

async function putDigestVersion(f: SealingFixture, key: string, body: string, signature: string) {
  await f.clients.s3.send(
    new PutObjectCommand({
      Bucket: f.archive,
      Key: key,
      Body: body,
      Metadata: { [SIGNATURE_METADATA]: signature },
      ChecksumAlgorithm: 'SHA256',
    }),
  );
}

const kinds = (findings: { kind: FindingKind }[]) =>
  [...new Set(findings.map((x) => x.kind))].sort();

describe('logvault verify on the stand-in', () => {
  it('finds nothing wrong with an untouched chain', async () => {
    const { verify } = await sealedChain();
    const report = await verify();
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ digests: 4, objects: 3 });
  });

  it('does not report hours before the chain began as missing', async () => {
    const { f, from, through } = await sealedChain();
    const report = await verifyArchive(f.verify, { from: addHours(from, -2), to: through });
    expect(report.findings).toEqual([]);
    expect(report.chainStart).toBe(from.toISOString());
  });

  it('reports missing digests before a chain that does not start with a genesis digest', async () => {
    const { f, from, through } = await sealedChain();
    await f.clients.s3.send(
      new DeleteObjectCommand({
        Bucket: f.archive,
        Key: digestKey(from),
        VersionId: await currentVersion(f, digestKey(from)),
        BypassGovernanceRetention: true,
      }),
    );
    const report = await verifyArchive(f.verify, { from: addHours(from, -1), to: through });
    expect(kinds(report.findings)).toEqual(['broken-link', 'missing-digest']);
    expect(report.chainStart).toBeUndefined();
  });

  it('reports an object replaced with a new version as altered', async () => {
    const { f, keys, verify } = await sealedChain();
    await f.clients.s3.send(
      new PutObjectCommand({
        Bucket: f.archive,
        Key: keys[1],
        Body: '{"n":"forged"}\n',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const { findings } = await verify();
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'altered-object',
        key: keys[1],
        detail: expect.stringMatching(/^replaced/),
      }),
    );
    // The forged version itself was never sealed, so no digest lists it.
    expect(findings).toContainEqual(
      expect.objectContaining({ kind: 'unaccounted-object', key: keys[1] }),
    );
    expect(kinds(findings)).toEqual(['altered-object', 'unaccounted-object']);
  });

  it('reports a removed object version as missing', async () => {
    const { f, keys, verify } = await sealedChain();
    const versionId = await currentVersion(f, keys[0]);
    await f.clients.s3.send(
      new DeleteObjectCommand({
        Bucket: f.archive,
        Key: keys[0],
        VersionId: versionId,
        BypassGovernanceRetention: true,
      }),
    );
    const { findings } = await verify();
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'missing-object', key: keys[0], versionId }),
    ]);
  });

  it('reports an object hidden behind a delete marker as missing', async () => {
    const { f, keys, verify } = await sealedChain();
    await f.clients.s3.send(new DeleteObjectCommand({ Bucket: f.archive, Key: keys[2] }));
    const { findings } = await verify();
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'missing-object',
        key: keys[2],
        detail: expect.stringMatching(/^deleted/),
      }),
    ]);
  });

  it('reports an edited digest as a bad signature and the next link as broken', async () => {
    const { f, from, verify } = await sealedChain();
    const edited = digestKey(addHours(from, 1));
    const original = await readDigest(f, edited);
    // Claims the digest covers two hours: valid JSON, different bytes.
    const parsed = JSON.parse(original.body) as { hourEnd: string };
    const body = JSON.stringify({
      ...parsed,
      hourEnd: addHours(new Date(parsed.hourEnd), 1).toISOString(),
    });
    await putDigestVersion(f, edited, body, original.metadata[SIGNATURE_METADATA]);
    const { findings } = await verify();
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'bad-signature', key: edited }),
      expect.objectContaining({ kind: 'broken-link', key: digestKey(addHours(from, 2)) }),
    ]);
  });

  it('reports a digest edited to drop an object as a bad signature, and uses none of its entries', async () => {
    const { f, keys, through, verify } = await sealedChain();
    const key = digestKey(through);
    const original = await readDigest(f, key);
    const parsed = JSON.parse(original.body) as { objects: { key: string }[] };
    const body = JSON.stringify({
      ...parsed,
      objects: parsed.objects.filter((o) => o.key !== keys[0]),
    });
    await putDigestVersion(f, key, body, original.metadata[SIGNATURE_METADATA]);
    const { findings } = await verify();
    // A forged digest vouches for nothing: all three objects are in no trusted digest.
    expect(findings).toEqual([
      ...[...keys]
        .sort()
        .map((k) => expect.objectContaining({ kind: 'unaccounted-object', key: k })),
      expect.objectContaining({ kind: 'bad-signature', key }),
    ]);
  });

  it('reports a digest removed from the middle of the chain', async () => {
    const { f, from, verify } = await sealedChain();
    const removed = digestKey(addHours(from, 1));
    await f.clients.s3.send(
      new DeleteObjectCommand({
        Bucket: f.archive,
        Key: removed,
        VersionId: await currentVersion(f, removed),
        BypassGovernanceRetention: true,
      }),
    );
    const { findings } = await verify();
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'missing-digest', key: removed }),
      expect.objectContaining({
        kind: 'broken-link',
        key: digestKey(addHours(from, 2)),
        detail: expect.stringMatching(/missing/),
      }),
    ]);
  });

  it('reports a digest signed with another key as a bad signature', async () => {
    const { f, keys, through, verify } = await sealedChain();
    const key = digestKey(through);
    const { body } = await readDigest(f, key);
    const { KeyMetadata } = await f.clients.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const intruder = new KmsSigner(f.clients.kms, KeyMetadata!.KeyId!);
    const signature = await intruder.sign(signingString(key, Buffer.from(body)));
    await putDigestVersion(f, key, body, Buffer.from(signature).toString('base64'));
    const { findings } = await verify();
    // Same bytes: the chain still links; the digest's entries are not used.
    expect(findings).toEqual([
      ...[...keys]
        .sort()
        .map((k) => expect.objectContaining({ kind: 'unaccounted-object', key: k })),
      expect.objectContaining({ kind: 'bad-signature', key }),
    ]);
  });

  it('reports an object sealed after its hour was digested as undigested', async () => {
    const { f, verify } = await sealedChain();
    const late = await landObject(f, '{"n":"late"}\n');
    await sealPending(f.seal);
    const { findings } = await verify();
    expect(findings).toEqual([expect.objectContaining({ kind: 'unaccounted-object', key: late })]);
  });

  it('writes each digest once: a rerun adds nothing', async () => {
    const { f, through, verify } = await sealedChain();
    expect(await writeDigests(f.digest, { through })).toEqual({
      written: [],
      breaks: [],
      quarantined: [],
    });
    const page = await f.clients.s3.send(
      new ListObjectVersionsCommand({ Bucket: f.archive, Prefix: 'digests/' }),
    );
    expect(page.Versions).toHaveLength(4);
    const digest = await readDigest(f, digestKey(through));
    expect(createHash('sha256').update(digest.body).digest('hex')).toHaveLength(64);
    expect((await verify()).findings).toEqual([]);
  });
});
