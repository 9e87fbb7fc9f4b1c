import { KeyObject, createHash, createPublicKey } from 'node:crypto';

/** 64 lowercase hex digits: how fingerprints are written in keyrings, transitions and digests. */
export const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The fingerprint of a public key: SHA-256 of its DER SubjectPublicKeyInfo,
 * in lowercase hex. The same value as
 * `openssl pkey -pubin -in key.pem -outform DER | sha256sum`, so anyone can
 * recompute it from a published PEM without logvault.
 */
export function spkiFingerprint(key: KeyObject | string | Uint8Array): string {
  const publicKey =
    key instanceof KeyObject
      ? key.type === 'private'
        ? createPublicKey(key)
        : key
      : typeof key === 'string'
        ? createPublicKey(key)
        : createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** SHA-256 of a certificate's DER encoding in lowercase hex (what `openssl x509 -fingerprint -sha256` shows). */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}
