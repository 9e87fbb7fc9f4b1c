import { KeyObject, createPublicKey, verify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';

/** Signs digest signing strings; ECDSA P-256 over SHA-256 of the message, DER signature. */
export interface Signer {
  /** Key id recorded in each digest so a verifier knows which public key to use. */
  readonly keyId: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** The public half, from which the fingerprint recorded in each digest is computed. */
  publicKey(): Promise<KeyObject>;
}

/**
 * KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY). Signs with MessageType RAW:
 * signing strings are a few hundred bytes (RAW allows 4096) and KMS hashes
 * them itself, which keeps the signature verifiable by any ECDSA library.
 */
export class KmsSigner implements Signer {
  private cachedPublicKey?: Promise<KeyObject>;

  constructor(
    private readonly kms: KMSClient,
    public readonly keyId: string,
  ) {}

  async sign(message: Uint8Array): Promise<Uint8Array> {
    const { Signature } = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: message,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    return Signature!;
  }

  /** Read once per instance (a Lambda cold start): the key behind an id never changes. */
  publicKey(): Promise<KeyObject> {
    this.cachedPublicKey ??= kmsPublicKey(this.kms, this.keyId);
    return this.cachedPublicKey;
  }
}

/** The public key of a KMS signing key; all a verifier needs (`kms:GetPublicKey`). */
export async function kmsPublicKey(kms: KMSClient, keyId: string): Promise<KeyObject> {
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  return createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
}

export function verifySignature(
  publicKey: KeyObject,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return verify('sha256', message, publicKey, signature);
  } catch {
    return false;
  }
}
