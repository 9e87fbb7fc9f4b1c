import { KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import { spkiFingerprint } from '../../../../core/sealing/anchor/fingerprint';
import { KEYRING_FORMAT, DIGEST_KEY_ALGORITHM } from '../../../../core/sealing/anchor/keyring';
import { TsaTrust, loadTsaTrust } from '../../../../core/sealing/anchor/tsa-trust';
import { Signer } from '../../../../core/sealing/signer';
import { TsaServer, TsaServerOptions, startTsaServer } from '../../../../local/tsa/server';
import { uniqueSuffix } from '../../../support/standins';

/**
 * A P-256 key held in this process: real ECDSA (node's OpenSSL), signing
 * exactly as the KMS signer does (SHA-256 of the message, DER signature).
 * Tests of pure functions use it; the attack test uses real KMS keys on moto.
 */
export interface LocalKey extends Pick<Signer, 'keyId' | 'sign'> {
  readonly publicKey: KeyObject;
  readonly pem: string;
  readonly fingerprint: string;
}

export function localKey(): LocalKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyId: `local-${uniqueSuffix()}`,
    publicKey,
    pem,
    fingerprint: spkiFingerprint(publicKey),
    sign: async (message) => sign('sha256', message, privateKey),
  };
}

export const PUBLISHER = {
  name: 'Test Officer',
  role: 'security officer',
  date: '2026-11-30',
  reference: 'https://example.org/logvault/pull/1',
};

/** A keyring entry as a maintainer would publish it. */
export function keyringEntry(key: { pem: string; fingerprint: string }, notBefore: Date) {
  return {
    fingerprint: key.fingerprint,
    publicKeyPem: key.pem,
    algorithm: DIGEST_KEY_ALGORITHM,
    notBefore: notBefore.toISOString(),
    notAfter: null,
    publishedBy: PUBLISHER,
  };
}

export function keyringText(stage: string, keys: object[]): string {
  return JSON.stringify({ format: KEYRING_FORMAT, stage, keys }, null, 2);
}

/** A TSA stand-in (openssl ts -reply over HTTP) with its own CA, in a fresh .run directory. */
export async function testTsa(
  options: Omit<TsaServerOptions, 'dir'> = {},
): Promise<TsaServer & { trust: TsaTrust }> {
  const dir = join(__dirname, '../../../../.run/test-tsa', uniqueSuffix());
  const server = await startTsaServer({ ...options, dir });
  return { ...server, trust: loadTsaTrust(server.trustDir) };
}
