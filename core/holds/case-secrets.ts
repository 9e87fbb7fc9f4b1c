import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { HoldRegistry } from './registry';

/**
 * The personal parts of a case (its filters: IPs, networks, account ids,
 * domains, serials) are kept only encrypted, under a data key of that case
 * (envelope encryption: KMS generates the key and wraps it; the wrapped copy
 * is the registry item `CASE#<id>` / `KEY`). The registry and the audit
 * trail, which is never rewritten, store the sealed text. Release deletes the
 * wrapped key, and with it every way to read what the case was about; what
 * remains says that the case held which objects, when, why and by whom
 * (docs/holds.md, "Forgetting a case").
 */

export interface CaseKeys {
  readonly kms: KMSClient;
  /** The KMS key that wraps every case's data key (the stage's storage key). */
  readonly keyId: string;
}

/** Binds a wrapped key to its case: KMS refuses to unwrap it for another case id. */
const encryptionContext = (caseId: string) => ({ 'logvault:case': caseId });

/**
 * The case's data key: unwrapped from the registry, or generated and stored
 * once (a concurrent open that lost the race reads the winner's).
 * `undefined` when the case has no key and `create` is false, e.g. after release.
 */
export async function caseDataKey(
  keys: CaseKeys,
  registry: HoldRegistry,
  caseId: string,
  create: boolean,
): Promise<Buffer | undefined> {
  const stored = await registry.getCaseKey(caseId);
  if (stored) return unwrap(keys, caseId, stored);
  if (!create) return undefined;
  const generated = await keys.kms.send(
    new GenerateDataKeyCommand({
      KeyId: keys.keyId,
      KeySpec: 'AES_256',
      EncryptionContext: encryptionContext(caseId),
    }),
  );
  if (await registry.putCaseKey(caseId, generated.CiphertextBlob!))
    return Buffer.from(generated.Plaintext!);
  return unwrap(keys, caseId, (await registry.getCaseKey(caseId))!);
}

async function unwrap(keys: CaseKeys, caseId: string, wrapped: Uint8Array): Promise<Buffer> {
  const { Plaintext } = await keys.kms.send(
    new DecryptCommand({
      KeyId: keys.keyId,
      CiphertextBlob: wrapped,
      EncryptionContext: encryptionContext(caseId),
    }),
  );
  return Buffer.from(Plaintext!);
}

/** Sealed text: `v1.<iv>.<ciphertext>.<tag>`, base64url, AES-256-GCM with the case id as associated data. */
export function seal(key: Buffer, caseId: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(caseId));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv, body, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The value `seal` sealed; throws when the text was changed or belongs to another case. */
export function unseal(key: Buffer, caseId: string, sealed: string): unknown {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed case value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    .setAAD(Buffer.from(caseId))
    .setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  return JSON.parse(text.toString('utf8'));
}

/**
 * A fingerprint keyed by the case's data key: a plain hash of a scope with
 * one IPv4 address could be reversed by trying all 2^32 of them.
 */
export function keyedFingerprint(key: Buffer, fingerprint: string): string {
  return createHmac('sha256', key).update(fingerprint).digest('hex');
}
