import { KeyObject, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { FINGERPRINT_PATTERN, spkiFingerprint } from './fingerprint';

export const KEYRING_FORMAT = 'logvault-keyring/1';
/** The only digest signature scheme: KMS ECC_NIST_P256 keys signing with ECDSA_SHA_256. */
export const DIGEST_KEY_ALGORITHM = 'ECDSA_P256_SHA256';

/** Who vouched for a key outside the account: a person or role, when, and a reviewable record. */
export const publisherSchema = z.strictObject({
  name: z.string().min(1),
  role: z.string().min(1),
  date: z.iso.date(),
  /** A record others can check, e.g. the reviewed pull request that added the key. */
  reference: z.string().min(1),
});

const keySchema = z.strictObject({
  fingerprint: z.string().regex(FINGERPRINT_PATTERN, '64 lowercase hex digits'),
  publicKeyPem: z.string().startsWith('-----BEGIN PUBLIC KEY-----'),
  algorithm: z.literal(DIGEST_KEY_ALGORITHM),
  /** Informational: which KMS key holds the private half. Never used to fetch a key. */
  kmsKeyArn: z.string().optional(),
  /** The first digest hour (its `hourStart`) this key may sign. */
  notBefore: z.iso.datetime(),
  /** The first digest hour it may no longer sign; null while in service. */
  notAfter: z.iso.datetime().nullable(),
  publishedBy: publisherSchema,
});

/**
 * `trust/<stage>/digest-keys.json`: the digest signing keys of one stage as
 * published outside the AWS account (this repository, docs/trust.md, and the
 * public anchor repository). It is the root of trust for `logvault verify`:
 * a digest is only accepted when signed by a key listed here, or reached
 * from one by a signed and timestamped key transition.
 */
export const keyringSchema = z.strictObject({
  format: z.literal(KEYRING_FORMAT),
  stage: z.string().min(1),
  keys: z.array(keySchema),
});

export interface KeyringKey {
  readonly fingerprint: string;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  readonly kmsKeyArn?: string;
  readonly notBefore: Date;
  readonly notAfter?: Date;
  readonly publishedBy: z.infer<typeof publisherSchema>;
}

export interface Keyring {
  readonly stage: string;
  readonly keys: readonly KeyringKey[];
}

/** A keyring that cannot be trusted as written; `problems` names every field at fault and the fix. */
export class KeyringError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a valid keyring:\n  - ${problems.join('\n  - ')}`);
  }
}

/** A P-256 public key from its PEM, or a problem naming the field. */
function p256Key(pem: string, field: string): KeyObject | string {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return `${field}: not a PEM SubjectPublicKeyInfo; export it with \`aws kms get-public-key\` and \`openssl pkey -pubin -inform DER\``;
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    return `${field}: not an EC P-256 key (KMS key spec ECC_NIST_P256 is the only one digests use)`;
  return key;
}

/** Every semantic problem of a keyring that parsed: fingerprints, curves, validity, duplicates. */
function keyProblems(keys: z.infer<typeof keySchema>[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  keys.forEach((k, i) => {
    const key = p256Key(k.publicKeyPem, `keys[${i}].publicKeyPem`);
    if (typeof key === 'string') problems.push(key);
    else if (spkiFingerprint(key) !== k.fingerprint)
      problems.push(
        `keys[${i}].fingerprint: ${k.fingerprint} is not the SHA-256 of keys[${i}].publicKeyPem ` +
          `(${spkiFingerprint(key)}); recompute it with \`openssl pkey -pubin -outform DER | sha256sum\``,
      );
    if (k.notAfter !== null && Date.parse(k.notAfter) <= Date.parse(k.notBefore))
      problems.push(`keys[${i}].notAfter: must be later than notBefore (${k.notBefore})`);
    const twin = seen.get(k.fingerprint);
    if (twin !== undefined)
      problems.push(`keys[${i}].fingerprint: already listed as keys[${twin}]; list a key once`);
    seen.set(k.fingerprint, i);
  });
  return problems;
}

/**
 * Parses and checks a keyring: every fingerprint must be the SHA-256 of its
 * own PEM, so a reviewer comparing fingerprints compares the keys themselves.
 * Throws a KeyringError listing every problem at once.
 */
export function parseKeyring(text: string, source: string, stage?: string): Keyring {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KeyringError(source, [`not JSON: ${(error as Error).message}`]);
  }
  const parsed = keyringSchema.safeParse(json);
  if (!parsed.success)
    throw new KeyringError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    );
  const problems = keyProblems(parsed.data.keys);
  if (stage !== undefined && parsed.data.stage !== stage)
    problems.push(`stage: is ${parsed.data.stage}, expected ${stage}; use trust/${stage}/`);
  if (problems.length > 0) throw new KeyringError(source, problems);
  return {
    stage: parsed.data.stage,
    keys: parsed.data.keys.map((k) => ({
      fingerprint: k.fingerprint,
      publicKey: createPublicKey(k.publicKeyPem),
      publicKeyPem: k.publicKeyPem,
      kmsKeyArn: k.kmsKeyArn,
      notBefore: new Date(k.notBefore),
      notAfter: k.notAfter === null ? undefined : new Date(k.notAfter),
      publishedBy: k.publishedBy,
    })),
  };
}
