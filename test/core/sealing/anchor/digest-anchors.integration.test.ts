import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { readAnchorFiles, writeAnchorFile } from '../../../../core/sealing/anchor/anchor-files';
import { AnchorContext, anchorHead } from '../../../../core/sealing/anchor/anchor-head';
import { writeDigests } from '../../../../core/sealing/digest';
import { addHours, hourOf } from '../../../../core/sealing/keys';
import { sealPending } from '../../../../core/sealing/seal';
import { verifyArchive } from '../../../../core/sealing/verify';
import { archiveAnchors } from '../../../../core/sealing/verify/anchors';
import { DEV_LOCK, SealingFixture, landObject, sealingFixture } from '../fixture';
import { testTsa } from './support';

/**
 * RFC 3161 anchors written by the digest run (as the seal-digest handler
 * does: writeDigests, then anchorHead on the new head, against the openssl
 * TSA stand-in) and checked by verify. The attack: an account administrator
 * deletes a sealed object, purges the chain and its archived anchor (the dev
 * archive is GOVERNANCE-locked), re-signs the rewritten history with the
 * published key itself, and anchors it afresh. Every signature is genuine,
 * so verify without anchors finds nothing; the anchor published outside the
 * account before the rewrite no longer matches.
 */
describe('anchors of the chain head', () => {
  let tsa: Awaited<ReturnType<typeof testTsa>>;
  beforeAll(async () => {
    tsa = await testTsa();
  });
  afterAll(() => tsa?.close());

  const anchorContext = (f: SealingFixture): AnchorContext => ({
    s3: f.clients.s3,
    archiveBucket: f.archive,
    stage: 'dev',
    lock: DEV_LOCK,
    tsa: tsa.trust,
  });

  async function purgePrefix(f: SealingFixture, prefix: string) {
    const listed = await f.clients.s3.send(
      new ListObjectVersionsCommand({ Bucket: f.archive, Prefix: prefix }),
    );
    for (const v of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])])
      await f.clients.s3.send(
        new DeleteObjectCommand({
          Bucket: f.archive,
          Key: v.Key,
          VersionId: v.VersionId,
          BypassGovernanceRetention: true,
        }),
      );
  }

  it('a history re-signed with the published key is caught by the anchor published before the rewrite', async () => {
    const f = await sealingFixture();
    const objects: string[] = [];
    for (let i = 0; i < 3; i++) objects.push(await landObject(f, `{"n":${i}}\n`));
    await sealPending(f.seal);
    const now = hourOf(new Date());
    const genesis = addHours(now, -2);
    const run = await writeDigests(f.digest, { through: now, genesis });
    expect(run.head?.key).toBe(run.written.at(-1)!.key);
    const anchored = await anchorHead(anchorContext(f), run.head!);
    expect(anchored.failures).toEqual([]);
    expect(anchored.key).toMatch(/^anchors\/\d{4}\/\d{2}\/\d{2}\/\d{2}\.json$/);
    // The feeding job copies each archived anchor to the public repository.
    const published = mkdtempSync(join(tmpdir(), 'anchors-'));
    await writeAnchorFile(published, now, anchored.record!);

    const verify = async (candidates: Awaited<ReturnType<typeof readAnchorFiles>>) =>
      (
        await verifyArchive(
          { ...f.verify, anchors: { candidates, tsa: tsa.trust, stage: 'dev' } },
          { from: genesis, to: now },
        )
      ).findings.map((x) => `${x.kind} ${x.key}`);
    const everyAnchor = async () => [
      ...(await readAnchorFiles(published)),
      ...(await archiveAnchors(f.clients.s3, f.archive)),
    ];
    expect(await verify(await everyAnchor())).toEqual([]);

    // The administrator rewrites history without one object, with the published key.
    await purgePrefix(f, objects[1]!);
    await purgePrefix(f, 'digests/');
    await purgePrefix(f, 'anchors/');
    const rewrite = await writeDigests(f.digest, { through: now, genesis });
    const reanchored = await anchorHead(anchorContext(f), rewrite.head!);
    expect(reanchored.key).toBe(anchored.key);

    // Without anchors, or with only the account's own, the rewrite is invisible.
    expect(
      (await verifyArchive(f.verify, { from: genesis, to: now })).findings.map((x) => x.kind),
    ).toEqual([]);
    expect(await verify(await archiveAnchors(f.clients.s3, f.archive))).toEqual([]);
    // The anchor published before the rewrite no longer matches the chain head.
    const findings = await verify(await everyAnchor());
    expect(findings).toEqual([`anchor-mismatch ${run.head!.key}`]);
  }, 120_000);

  it('leaves the hour unanchored, and says why, when no TSA answers', async () => {
    const f = await sealingFixture();
    const run = await writeDigests(f.digest);
    const down = {
      tsas: tsa.trust.tsas.map((t) => ({ ...t, url: 'http://127.0.0.1:9/' })),
    };
    const anchored = await anchorHead({ ...anchorContext(f), tsa: down }, run.head!);
    expect(anchored.key).toBeUndefined();
    expect(anchored.failures).toHaveLength(1);
    expect(anchored.failures[0]).toMatch(/unreachable/);
    expect(await archiveAnchors(f.clients.s3, f.archive)).toEqual([]);
  }, 60_000);
});
