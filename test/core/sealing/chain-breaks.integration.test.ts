import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Digest, SIGNATURE_METADATA, writeDigests } from '../../../core/sealing/digest';
import { addHours, digestKey, hourOf } from '../../../core/sealing/keys';
import { sealPending } from '../../../core/sealing/seal';
import { verifyArchive } from '../../../core/sealing/verify';
import { SealingFixture, landObject, sealingFixture } from './fixture';

/**
 * The digest function never heals a wound. Each case builds a chain whose
 * latest digest (hour `now`) lists three sealed objects, tampers as an
 * account administrator can (the dev archive is GOVERNANCE-locked, so
 * versions can be purged with the bypass header), then runs the next hour's
 * digest. The run must record the break in the digest it writes (and return
 * it, for the DigestChainBreaks alarm), link to the last good digest, write
 * nothing over the wound, and default verify must report it. Before this
 * change the run rewrote a purged or delete-marked digest from what was left
 * and chained to a planted head, and verify found nothing.
 */
async function chainOfThree() {
  const f = await sealingFixture();
  const objects: string[] = [];
  for (let i = 0; i < 3; i++) objects.push(await landObject(f, `{"n":${i}}\n`));
  await sealPending(f.seal);
  const now = hourOf(new Date());
  const genesis = addHours(now, -2);
  await writeDigests(f.digest, { through: now, genesis });
  const next = addHours(now, 1);
  const verify = () => verifyArchive(f.verify, { from: genesis, to: next });
  return { f, objects, now, next, genesis, verify };
}

async function versions(f: SealingFixture, prefix: string) {
  return (
    (await f.clients.s3.send(new ListObjectVersionsCommand({ Bucket: f.archive, Prefix: prefix })))
      .Versions ?? []
  );
}

async function purge(f: SealingFixture, key: string) {
  for (const v of await versions(f, key))
    await f.clients.s3.send(
      new DeleteObjectCommand({
        Bucket: f.archive,
        Key: key,
        VersionId: v.VersionId,
        BypassGovernanceRetention: true,
      }),
    );
}

async function digestAt(f: SealingFixture, hour: Date): Promise<Digest> {
  const got = await f.clients.s3.send(
    new GetObjectCommand({ Bucket: f.archive, Key: digestKey(hour) }),
  );
  return JSON.parse(await got.Body!.transformToString()) as Digest;
}

const summary = (findings: { kind: string; key: string }[]) =>
  findings.map((x) => `${x.kind} ${x.key}`);

describe('the digest function never heals', () => {
  it('chains the next hour to the head when nothing was touched', async () => {
    const { f, now, next, verify } = await chainOfThree();
    const run = await writeDigests(f.digest, { through: next });
    expect(run.breaks).toEqual([]);
    expect((await digestAt(f, next)).previous?.key).toBe(digestKey(now));
    expect((await verify()).findings).toEqual([]);
  });

  it('records a purged latest digest and a purged object instead of rewriting the digest', async () => {
    const { f, objects, now, next, verify } = await chainOfThree();
    await purge(f, digestKey(now));
    await purge(f, objects[1]);
    const run = await writeDigests(f.digest, { through: next });
    expect(summary(run.breaks)).toEqual([`missing-digest ${digestKey(now)}`]);
    expect(await versions(f, digestKey(now))).toEqual([]);
    const written = await digestAt(f, next);
    expect(written.previous?.key).toBe(digestKey(addHours(now, -1)));
    expect(written.breaks).toEqual(run.breaks);
    expect(written.objects.map((o) => o.key).sort()).toEqual([objects[0], objects[2]].sort());
    expect(summary((await verify()).findings)).toEqual([
      `chain-break ${digestKey(now)}`,
      `missing-digest ${digestKey(now)}`,
      `broken-link ${digestKey(next)}`,
    ]);
  });

  it('records a delete marker on the latest digest and never writes over it', async () => {
    const { f, now, next, verify } = await chainOfThree();
    await f.clients.s3.send(new DeleteObjectCommand({ Bucket: f.archive, Key: digestKey(now) }));
    const run = await writeDigests(f.digest, { through: next });
    expect(summary(run.breaks)).toEqual([`deleted-digest ${digestKey(now)}`]);
    expect(await versions(f, digestKey(now))).toHaveLength(1);
    expect((await digestAt(f, next)).previous?.key).toBe(digestKey(addHours(now, -1)));
    const kinds = summary((await verify()).findings);
    expect(kinds).toContain(`chain-break ${digestKey(now)}`);
    expect(kinds).toContain(`missing-digest ${digestKey(now)}`);
  });

  it('never adopts a planted unsigned head', async () => {
    const { f, now, next } = await chainOfThree();
    const after = addHours(next, 1);
    const planted = { ...(await digestAt(f, now)), hourStart: next.toISOString(), objects: [] };
    await f.clients.s3.send(
      new PutObjectCommand({
        Bucket: f.archive,
        Key: digestKey(next),
        Body: JSON.stringify(planted),
        Metadata: { [SIGNATURE_METADATA]: '' },
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const run = await writeDigests(f.digest, { through: after });
    expect(summary(run.breaks)).toEqual([`unsigned-digest ${digestKey(next)}`]);
    expect((await digestAt(f, after)).previous?.key).toBe(digestKey(now));
    const report = await verifyArchive(f.verify, { from: now, to: after });
    expect(summary(report.findings)).toEqual([
      `bad-signature ${digestKey(next)}`,
      `chain-break ${digestKey(next)}`,
      `broken-link ${digestKey(after)}`,
    ]);
  });

  it('records a digest written over (a second version), and an object that vanished', async () => {
    const { f, now, next } = await chainOfThree();
    const original = await f.clients.s3.send(
      new GetObjectCommand({ Bucket: f.archive, Key: digestKey(now) }),
    );
    await f.clients.s3.send(
      new PutObjectCommand({
        Bucket: f.archive,
        Key: digestKey(now),
        Body: await original.Body!.transformToByteArray(),
        Metadata: original.Metadata,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const run = await writeDigests(f.digest, { through: next });
    expect(summary(run.breaks)).toEqual([`replaced-digest ${digestKey(now)}`]);

    const g = await chainOfThree();
    await g.f.clients.s3.send(new DeleteObjectCommand({ Bucket: g.f.archive, Key: g.objects[2] }));
    const vanished = await writeDigests(g.f.digest, { through: g.next });
    expect(summary(vanished.breaks)).toEqual([`missing-object ${g.objects[2]}`]);
    expect((await digestAt(g.f, g.next)).previous?.key).toBe(digestKey(g.now));
    expect(summary((await g.verify()).findings)).toEqual([
      `chain-break ${g.objects[2]}`,
      `missing-object ${g.objects[2]}`,
    ]);
  });
});
