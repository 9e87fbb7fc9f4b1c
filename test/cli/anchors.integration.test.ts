import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { anchorsCommand } from '../../cli/commands/anchors';
import { verifyCommand } from '../../cli/commands/verify';
import { ExitCode } from '../../cli/command';
import { arns, witnessRoleName } from '../../core/naming';
import { anchorHead } from '../../core/sealing/anchor/anchor-head';
import { publishAnchors, witnessClient, witnessKey } from '../../core/sealing/anchor/witness';
import { writeDigests } from '../../core/sealing/digest';
import { addHours, digestKey, hourOf } from '../../core/sealing/keys';
import { sealPending } from '../../core/sealing/seal';
import { verifyArchive } from '../../core/sealing/verify';
import { freshAccount, useOwnAccount } from '../support/standins';
import { DEV_LOCK, SealingFixture, landObject, sealingFixture } from '../core/sealing/fixture';
import { keyringEntry, keyringText, testTsa } from '../core/sealing/anchor/support';

async function run(
  command: typeof verifyCommand,
  argv: string[],
): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => {
    lines.push(line);
  });
  try {
    return { code: await command.run(argv), out: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

const hourArg = (h: Date) => h.toISOString().slice(0, 13);

/**
 * Anchors on the stand-ins end to end: the digest run anchors each head with
 * the openssl TSA, publication copies the anchors to a witness bucket in a
 * second moto account (through a role of that account, as the digest
 * function does), `logvault anchors export` copies them to a directory as
 * the public repository's CI job would, and a plain `logvault verify` (no
 * anchor flag) checks them. The attacker is the audited account's admin.
 */
describe('anchors: publication, export and verify by default', () => {
  let tsa: Awaited<ReturnType<typeof testTsa>>;
  let f: SealingFixture;
  let trustDir: string;
  beforeAll(async () => {
    await useOwnAccount();
    tsa = await testTsa();
    f = await sealingFixture();
    trustDir = mkdtempSync(join(tmpdir(), 'trust-'));
    const key = f.keyring.keys[0]!;
    writeFileSync(
      join(trustDir, 'digest-keys.json'),
      keyringText('dev', [
        keyringEntry({ pem: key.publicKeyPem, fingerprint: key.fingerprint }, new Date(0)),
      ]),
    );
  });
  afterAll(() => tsa?.close());

  const anchorContext = () => ({
    s3: f.clients.s3,
    archiveBucket: f.archive,
    stage: 'dev',
    lock: DEV_LOCK,
    tsa: tsa.trust,
  });

  /** A witness account of its own, its Object Lock bucket, and a client acting as its role. */
  async function witnessAccount() {
    const account = freshAccount();
    const roleArn = arns.role({ partition: 'aws', account }, witnessRoleName('dev'));
    const s3 = witnessClient(roleArn, 'jest');
    const bucket = `witness-${account}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } },
        },
      }),
    );
    return { s3, bucket, stage: 'dev' };
  }

  async function purge(prefix: string) {
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

  it('publishes to the witness account, exports, and catches a re-signed history by default', async () => {
    const objects = [await landObject(f, '{"n":1}\n'), await landObject(f, '{"n":2}\n')];
    await sealPending(f.seal);
    const now = hourOf(new Date());
    const genesis = addHours(now, -2);
    const chain = await writeDigests(f.digest, { through: now, genesis });
    const anchored = await anchorHead(anchorContext(), chain.head!);
    expect(anchored.failures).toEqual([]);

    const witness = await witnessAccount();
    const since = addHours(now, -48);
    const first = await publishAnchors({ s3: f.clients.s3, bucket: f.archive }, witness, since);
    expect(first).toEqual({ published: [anchored.key], alreadyThere: 0, failures: [] });
    const copy = await witness.s3.send(
      new GetObjectCommand({ Bucket: witness.bucket, Key: witnessKey('dev', anchored.key!) }),
    );
    expect(copy.ObjectLockMode).toBe('COMPLIANCE');
    expect(JSON.parse(await copy.Body!.transformToString()).head.key).toBe(chain.head!.key);
    // Idempotent: the next hourly run copies nothing again.
    expect(await publishAnchors({ s3: f.clients.s3, bucket: f.archive }, witness, since)).toEqual({
      published: [],
      alreadyThere: 1,
      failures: [],
    });

    const repo = mkdtempSync(join(tmpdir(), 'anchor-repo-'));
    const exportArgs = ['export', '--to', repo, '--from-witness', '--bucket', witness.bucket];
    const exported = await run(anchorsCommand, exportArgs);
    expect(exported.code).toBe(ExitCode.ok);
    expect(exported.out).toMatch(/exported 1 new anchor .*\(0 unchanged, 0 differing\)/);
    expect(existsSync(join(repo, anchored.key!))).toBe(true);
    expect((await run(anchorsCommand, exportArgs)).out).toMatch(
      /exported 0 new anchors .*1 unchanged/,
    );

    const verifyArgs = [
      ...['--from', hourArg(genesis), '--to', hourArg(now), '--bucket', f.archive],
      ...['--trust-dir', trustDir, '--tsa-dir', tsa.trustDir],
    ];
    const clean = await run(verifyCommand, [...verifyArgs, '--anchor-dir', repo]);
    expect(clean.out).toMatch(/no findings\nanchors: checked 1 from archive, 1 from anchor-dir$/);
    expect(clean.code).toBe(ExitCode.ok);

    // The admin drops an object and rewrites history with the published key, then anchors it afresh.
    await purge(objects[0]!);
    await purge('digests/');
    await purge('anchors/');
    const rewrite = await writeDigests(f.digest, { through: now, genesis });
    expect((await anchorHead(anchorContext(), rewrite.head!)).key).toBe(anchored.key);
    // The witness keeps the first anchor: the re-made one is not copied over it.
    expect(await publishAnchors({ s3: f.clients.s3, bucket: f.archive }, witness, since)).toEqual({
      published: [],
      alreadyThere: 1,
      failures: [],
    });
    const fromArchive = await run(anchorsCommand, ['export', '--to', repo, '--bucket', f.archive]);
    expect(fromArchive.code).toBe(ExitCode.findings);
    expect(fromArchive.out).toMatch(/0 new anchors .*1 differing/);

    // Default verify (no flag) reads the published copy and reports the rewrite.
    const caught = await run(verifyCommand, [...verifyArgs, '--anchor-dir', repo, '--json']);
    expect(caught.code).toBe(ExitCode.findings);
    const report = JSON.parse(caught.out);
    expect(report.findings.map((x: { kind: string; key: string }) => `${x.kind} ${x.key}`)).toEqual(
      [`anchor-mismatch ${chain.head!.key}`],
    );
    expect(report.anchors).toEqual({ checked: true, sources: { archive: 1, 'anchor-dir': 1 } });
    // Skipping anchors is said, and then the genuine re-signature hides the rewrite.
    const skipped = await run(verifyCommand, [...verifyArgs, '--no-anchors']);
    expect(skipped.code).toBe(ExitCode.ok);
    expect(skipped.out).toMatch(/no findings\nanchors: skipped \(--no-anchors\)$/);
  }, 120_000);

  it('reports an anchor made long after its hour, and unanchored hours only where anchors are expected', async () => {
    const late = await sealingFixture();
    const head = addHours(hourOf(new Date()), -5);
    const chain = await writeDigests(late.digest, { through: head, genesis: addHours(head, -1) });
    const range = { from: addHours(head, -1), to: head };
    const anchorsOf = (expected: boolean) => ({
      candidates: [],
      tsa: tsa.trust,
      stage: 'dev',
      expected,
    });
    // No anchor for hours older than the allowed delay: a finding only when the stage anchors.
    const kinds = async (anchors?: ReturnType<typeof anchorsOf>) =>
      (await verifyArchive({ ...late.verify, anchors }, range)).findings.map(
        (x) => `${x.kind} ${x.key}`,
      );
    expect(await kinds(anchorsOf(true))).toEqual([`unanchored-hours ${digestKey(range.from)}`]);
    expect(await kinds(anchorsOf(false))).toEqual([]);

    // Anchored now, four hours after the head's hour ended, as a history remade today would be.
    await anchorHead({ ...anchorContext(), archiveBucket: late.archive }, chain.head!);
    const verified = await run(verifyCommand, [
      ...['--from', hourArg(range.from), '--to', hourArg(head), '--bucket', late.archive],
      ...['--public-key', keyFile(late), '--tsa-dir', tsa.trustDir, '--json'],
    ]);
    expect(verified.code).toBe(ExitCode.findings);
    expect(JSON.parse(verified.out).findings).toEqual([
      expect.objectContaining({ kind: 'late-anchor', key: chain.head!.key }),
    ]);
  }, 60_000);
});

function keyFile(f: SealingFixture): string {
  const path = join(mkdtempSync(join(tmpdir(), 'key-')), 'digest.pem');
  writeFileSync(path, f.keyring.keys[0]!.publicKeyPem);
  return path;
}
