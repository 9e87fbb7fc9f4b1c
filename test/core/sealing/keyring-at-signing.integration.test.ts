import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { spkiFingerprint } from '../../../core/sealing/anchor/fingerprint';
import { parseKeyring } from '../../../core/sealing/anchor/keyring';
import { UnpublishedKeyError, writeDigests } from '../../../core/sealing/digest';
import { addHours, hourOf } from '../../../core/sealing/keys';
import { KmsSigner } from '../../../core/sealing/signer';
import { keyringEntry, keyringText } from './anchor/support';
import { sealingFixture } from './fixture';

/**
 * The digest function signs only with a key the bundled published keyring
 * lists for the hour it signs: an insider who points the signing alias at a
 * key of their own, or keeps signing with a retired key, gets nothing
 * written (the handler counts it in DigestSigningRefused). Before this
 * change the function signed with whatever key the alias named.
 */
describe('keyring check at signing', () => {
  const digestCount = async (f: Awaited<ReturnType<typeof sealingFixture>>) =>
    (await f.clients.s3.send(new ListObjectsV2Command({ Bucket: f.archive, Prefix: 'digests/' })))
      .KeyCount ?? 0;

  it('refuses a key the keyring does not publish (the alias re-pointed), writing no digest', async () => {
    const f = await sealingFixture();
    const { KeyMetadata } = await f.clients.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const insider = new KmsSigner(f.clients.kms, KeyMetadata!.KeyId!);
    await expect(writeDigests({ ...f.digest, signer: insider })).rejects.toThrow(
      UnpublishedKeyError,
    );
    await expect(writeDigests({ ...f.digest, signer: insider })).rejects.toThrow(
      /is not in the dev keyring; publish it in trust\/dev\/digest-keys.json/,
    );
    expect(await digestCount(f)).toBe(0);
    // The published key still signs.
    expect((await writeDigests(f.digest)).written).toHaveLength(1);
  }, 60_000);

  it('refuses an empty keyring: no key published yet signs nothing', async () => {
    const f = await sealingFixture();
    const empty = parseKeyring(keyringText('dev', []), 'trust/dev/digest-keys.json', 'dev');
    await expect(writeDigests({ ...f.digest, keyring: empty })).rejects.toThrow(
      UnpublishedKeyError,
    );
    expect(await digestCount(f)).toBe(0);
  }, 60_000);

  it('refuses a retired key for hours after its notAfter, and a key before its notBefore', async () => {
    const f = await sealingFixture();
    const publicKey = await (f.digest.signer as KmsSigner).publicKey();
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const entry = keyringEntry({ pem, fingerprint: spkiFingerprint(publicKey) }, new Date(0));
    const lastHour = addHours(hourOf(new Date()), -1);
    const retired = parseKeyring(
      keyringText('dev', [{ ...entry, notAfter: addHours(lastHour, -1).toISOString() }]),
      'retired',
      'dev',
    );
    await expect(writeDigests({ ...f.digest, keyring: retired })).rejects.toThrow(
      /is published for hours from 1970-01-01T00:00:00.000Z to .*, not /,
    );
    const future = parseKeyring(
      keyringText('dev', [{ ...entry, notBefore: addHours(lastHour, 1).toISOString() }]),
      'future',
      'dev',
    );
    await expect(writeDigests({ ...f.digest, keyring: future })).rejects.toThrow(
      UnpublishedKeyError,
    );
    expect(await digestCount(f)).toBe(0);
  }, 60_000);
});
