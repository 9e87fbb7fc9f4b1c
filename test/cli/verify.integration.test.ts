import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { KmsSigner } from '../../core/sealing/signer';
import { keyringEntry, keyringText } from '../core/sealing/anchor/support';
import { lastDueHour, parseHourRange, verifyCommand } from '../../cli/commands/verify';
import { ExitCode, UsageError } from '../../cli/command';
import { writeDigests } from '../../core/sealing/digest';
import { addHours, hourOf } from '../../core/sealing/keys';
import { sealPending } from '../../core/sealing/seal';
import { landObject, sealingFixture } from '../core/sealing/fixture';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = jest
    .spyOn(console, 'log')
    .mockImplementation((line: string) => void lines.push(line));
  try {
    return { code: await verifyCommand.run(argv), out: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('logvault verify', () => {
  it('parses days and hours, inclusive, and rejects anything else', () => {
    expect(parseHourRange('2026-11-28', 'from')).toEqual({
      first: new Date('2026-11-28T00:00:00Z'),
      last: new Date('2026-11-28T23:00:00Z'),
    });
    expect(parseHourRange('2026-11-28T07', 'to').last).toEqual(new Date('2026-11-28T07:00:00Z'));
    expect(() => parseHourRange('2026-02-30', 'from')).toThrow(UsageError);
    expect(() => parseHourRange('yesterday', 'from')).toThrow(UsageError);
  });

  it('expects the digest of an hour from a quarter past the next hour', () => {
    expect(lastDueHour(new Date('2026-11-28T10:14:00Z'))).toEqual(new Date('2026-11-28T08:00:00Z'));
    expect(lastDueHour(new Date('2026-11-28T10:16:00Z'))).toEqual(new Date('2026-11-28T09:00:00Z'));
  });

  it('exits 0 on an intact archive and 1 with the finding after tampering, as text and JSON', async () => {
    const f = await sealingFixture();
    const key = await landObject(f, '{"cli":1}\n');
    await sealPending(f.seal);
    const now = hourOf(new Date());
    await writeDigests(f.digest, { through: now, genesis: addHours(now, -2) });
    const pem = join(mkdtempSync(join(tmpdir(), 'verify-')), 'digest.pem');
    writeFileSync(pem, f.keyring.keys[0]!.publicKeyPem);
    const day = now.toISOString().slice(0, 10);
    const hour = (h: Date) => h.toISOString().slice(0, 13);
    const argv = [
      '--from',
      hour(addHours(now, -2)),
      '--to',
      day,
      '--bucket',
      f.archive,
      '--public-key',
      pem,
    ];

    const clean = await run(argv);
    expect(clean.code).toBe(ExitCode.ok);
    expect(clean.out).toMatch(/verified 3 digests .* and 1 objects .*: no findings/);
    expect(clean.out).toMatch(/^listed 1 archived versions \(the whole bucket\)/m);

    await f.clients.s3.send(
      new PutObjectCommand({
        Bucket: f.archive,
        Key: key,
        Body: '{"cli":"forged"}\n',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const text = await run(argv);
    expect(text.code).toBe(ExitCode.findings);
    expect(text.out).toMatch(/altered-object/);
    const json = await run([...argv, '--json']);
    expect(json.code).toBe(ExitCode.findings);
    expect(JSON.parse(json.out).findings).toContainEqual(
      expect.objectContaining({ kind: 'altered-object', key }),
    );
  });

  it('trusts the published keyring, not the account: a chain re-signed with an admin key is reported', async () => {
    const f = await sealingFixture();
    await landObject(f, '{"cli":2}\n');
    await sealPending(f.seal);
    const now = hourOf(new Date());
    await writeDigests(f.digest, { through: now, genesis: now });
    const trustDir = mkdtempSync(join(tmpdir(), 'trust-'));
    const published = f.keyring.keys[0]!;
    writeFileSync(
      join(trustDir, 'digest-keys.json'),
      keyringText('dev', [
        keyringEntry(
          { pem: published.publicKeyPem, fingerprint: published.fingerprint },
          new Date(0),
        ),
      ]),
    );
    const hour = now.toISOString().slice(0, 13);
    const argv = ['--from', hour, '--to', hour, '--bucket', f.archive, '--trust-dir', trustDir];
    expect((await run(argv)).code).toBe(ExitCode.ok);

    // The admin purges the digest and writes it again, signed by a key the account made.
    const { s3, kms } = f.clients;
    const versions = await s3.send(
      new ListObjectVersionsCommand({ Bucket: f.archive, Prefix: 'digests/' }),
    );
    for (const v of versions.Versions ?? [])
      await s3.send(
        new DeleteObjectCommand({
          Bucket: f.archive,
          Key: v.Key,
          VersionId: v.VersionId,
          BypassGovernanceRetention: true,
        }),
      );
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const admin = new KmsSigner(kms, KeyMetadata!.KeyId!);
    await writeDigests(
      { ...f.digest, signer: admin, keyring: undefined },
      { through: now, genesis: now },
    );

    const tampered = await run([...argv, '--json']);
    expect(tampered.code).toBe(ExitCode.findings);
    expect(JSON.parse(tampered.out).findings.map((x: { kind: string }) => x.kind)).toEqual([
      'unaccounted-object',
      'unknown-key',
    ]);
  });

  it('exits 2 naming the file when --public-key is not a public key', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'verify-')), 'not-a-key.pem');
    writeFileSync(bad, 'hello\n');
    const argv = [
      '--from',
      '2026-11-28',
      '--to',
      '2026-11-28',
      '--bucket',
      'b',
      '--public-key',
      bad,
    ];
    await expect(verifyCommand.run(argv)).rejects.toThrow(UsageError);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(verifyCommand.run(['--from', '2026-11-28', '--to', '2026-11-27'])).rejects.toThrow(
      UsageError,
    );
  });
});
