import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Signer } from '../signer';
import { FINGERPRINT_PATTERN } from './fingerprint';

export const TRANSITION_FORMAT = 'logvault-key-transition/1';

const fingerprint = z.string().regex(FINGERPRINT_PATTERN, '64 lowercase hex digits');

/**
 * What a key rotation says: from the hour `effectiveFrom` on, digests of
 * `stage` are signed by `to` and no longer by `from`. Kept as the exact JSON
 * text that was signed (`TransitionRecord.statement`), never re-serialized.
 */
export const transitionStatementSchema = z.strictObject({
  format: z.literal(TRANSITION_FORMAT),
  stage: z.string().min(1),
  archiveBucket: z.string().min(1),
  from: fingerprint,
  to: z.strictObject({
    fingerprint,
    publicKeyPem: z.string().startsWith('-----BEGIN PUBLIC KEY-----'),
    kmsKeyArn: z.string().optional(),
  }),
  /** The first digest hour signed by `to`; the old key may sign no digest from this hour on. */
  effectiveFrom: z.iso.datetime(),
  reason: z.string().min(1),
});
export type TransitionStatement = z.infer<typeof transitionStatementSchema>;

/**
 * A signed key transition: the old key signs the statement, the new key
 * countersigns the statement and the old signature (proving it holds the
 * new private key and saw the approval), and RFC 3161 timestamps over all
 * of it prove it existed before it took effect (`transitionImprint`).
 */
export const transitionRecordSchema = z.strictObject({
  statement: z.string().min(2),
  /** Base64 DER ECDSA signature by the `from` key over `fromSigningString`. */
  fromSignature: z.string().min(1),
  /** Base64 DER ECDSA signature by the `to` key over `toSigningString`. */
  toSignature: z.string().min(1),
  /** Base64 DER TimeStampTokens over `transitionImprint`, one per TSA. */
  timestamps: z.array(z.string().min(1)),
});
export type TransitionRecord = z.infer<typeof transitionRecordSchema>;

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function fromSigningString(statement: string): Buffer {
  return Buffer.from(`${TRANSITION_FORMAT}\nfrom\n${sha256Hex(statement)}`, 'utf8');
}

export function toSigningString(statement: string, fromSignature: string): Buffer {
  return Buffer.from(`${TRANSITION_FORMAT}\nto\n${sha256Hex(statement)}\n${fromSignature}`, 'utf8');
}

/** The SHA-256 a TSA timestamps for a transition: statement and both signatures. */
export function transitionImprint(record: Omit<TransitionRecord, 'timestamps'>): Buffer {
  return createHash('sha256')
    .update(
      `${TRANSITION_FORMAT}\n${sha256Hex(record.statement)}\n${record.fromSignature}\n${record.toSignature}`,
      'utf8',
    )
    .digest();
}

/**
 * Signs a transition with the old key, then countersigns with the new one.
 * The statement is checked first so a bad rotation never gets signed.
 */
export async function signTransition(
  statement: TransitionStatement,
  fromSigner: Pick<Signer, 'sign'>,
  toSigner: Pick<Signer, 'sign'>,
): Promise<Omit<TransitionRecord, 'timestamps'>> {
  const text = JSON.stringify(transitionStatementSchema.parse(statement));
  const fromSignature = Buffer.from(await fromSigner.sign(fromSigningString(text))).toString(
    'base64',
  );
  const toSignature = Buffer.from(
    await toSigner.sign(toSigningString(text, fromSignature)),
  ).toString('base64');
  return { statement: text, fromSignature, toSignature };
}
