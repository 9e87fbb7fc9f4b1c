import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spkiFingerprint } from '../../../../core/sealing/anchor/fingerprint';
import { KeyringError, parseKeyring } from '../../../../core/sealing/anchor/keyring';
import { keyringEntry, keyringText, localKey } from './support';

const T0 = new Date('2026-12-01T00:00:00Z');

function problems(text: string, stage?: string): string[] {
  try {
    parseKeyring(text, 'trust/dev/digest-keys.json', stage);
  } catch (error) {
    if (error instanceof KeyringError) return [...error.problems];
    throw error;
  }
  throw new Error('the keyring was accepted');
}

describe('digest keyring', () => {
  it('computes the fingerprint that openssl computes from the published PEM', () => {
    const key = localKey();
    // Anyone can recompute it without logvault: SHA-256 of the DER SubjectPublicKeyInfo.
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: key.pem });
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der })
      .toString()
      .split(' ')[0];
    expect(key.fingerprint).toBe(openssl);
    expect(spkiFingerprint(key.pem)).toBe(openssl);
    expect(spkiFingerprint(key.publicKey.export({ type: 'spki', format: 'der' }))).toBe(openssl);
  });

  it('parses a published keyring into keys with their validity', () => {
    const first = localKey();
    const second = localKey();
    const retired = { ...keyringEntry(first, T0), notAfter: '2027-01-01T00:00:00Z' };
    const keyring = parseKeyring(
      keyringText('dev', [retired, keyringEntry(second, new Date('2027-01-01T00:00:00Z'))]),
      'test',
      'dev',
    );
    expect(keyring.keys.map((k) => [k.fingerprint, k.notBefore, k.notAfter])).toEqual([
      [first.fingerprint, T0, new Date('2027-01-01T00:00:00Z')],
      [second.fingerprint, new Date('2027-01-01T00:00:00Z'), undefined],
    ]);
    expect(spkiFingerprint(keyring.keys[1].publicKey)).toBe(second.fingerprint);
  });

  it('refuses a fingerprint that is not the hash of its own key, naming the field and the fix', () => {
    const key = localKey();
    const other = localKey();
    const found = problems(
      keyringText('dev', [{ ...keyringEntry(key, T0), fingerprint: other.fingerprint }]),
    );
    expect(found).toEqual([
      expect.stringMatching(
        new RegExp(
          `^keys\\[0\\]\\.fingerprint: ${other.fingerprint} is not the SHA-256 of keys\\[0\\]\\.publicKeyPem \\(${key.fingerprint}\\); recompute it with`,
        ),
      ),
    ]);
  });

  it('lists every problem at once: wrong curve, reversed validity, duplicate, wrong stage', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const rsaPem = rsa.export({ type: 'spki', format: 'pem' }).toString();
    const key = localKey();
    const found = problems(
      keyringText('prod', [
        keyringEntry({ pem: rsaPem, fingerprint: spkiFingerprint(rsa) }, T0),
        { ...keyringEntry(key, T0), notAfter: '2026-11-01T00:00:00Z' },
        keyringEntry(key, T0),
      ]),
      'dev',
    );
    expect(found).toEqual([
      'keys[0].publicKeyPem: not an EC P-256 key (KMS key spec ECC_NIST_P256 is the only one digests use)',
      `keys[1].notAfter: must be later than notBefore (${T0.toISOString()})`,
      'keys[2].fingerprint: already listed as keys[1]; list a key once',
      'stage: is prod, expected dev; use trust/dev/',
    ]);
  });

  it('names missing and malformed fields of the format', () => {
    const key = localKey();
    const unpublished: Partial<ReturnType<typeof keyringEntry>> = keyringEntry(key, T0);
    delete unpublished.publishedBy;
    const found = problems(
      keyringText('dev', [{ ...unpublished, fingerprint: 'ABC', notBefore: 'yesterday' }]),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^keys\.0\.fingerprint: 64 lowercase hex digits/),
        expect.stringMatching(/^keys\.0\.notBefore: /),
        expect.stringMatching(/^keys\.0\.publishedBy: /),
      ]),
    );
    expect(problems('{"format":"logvault-keyring/1",')).toEqual([
      expect.stringMatching(/^not JSON: /),
    ]);
  });

  it.each(['dev', 'prod'])('the committed %s keyring parses for its stage', (stage) => {
    const path = join(__dirname, '../../../../trust', stage, 'digest-keys.json');
    const keyring = parseKeyring(readFileSync(path, 'utf8'), path, stage);
    expect(keyring.stage).toBe(stage);
  });
});
