import { KeyObject, createPublicKey } from 'node:crypto';
import { verifySignature } from '../signer';
import { spkiFingerprint } from './fingerprint';
import { Keyring } from './keyring';
import {
  TransitionRecord,
  TransitionStatement,
  fromSigningString,
  toSigningString,
  transitionImprint,
  transitionRecordSchema,
  transitionStatementSchema,
} from './transition';
import { TsaTrust } from './tsa-trust';
import { verifyTimeStampToken } from './verify-token';

/** A key a verifier accepts digests from, for digest hours in [notBefore, notAfter). */
export interface TrustedKey {
  readonly fingerprint: string;
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter?: Date;
  /** `keyring`, or where the transition that introduced it was read. */
  readonly via: string;
}

export const transitionRejections = [
  'malformed',
  /** Names another stage or archive than the one being verified. */
  'wrong-archive',
  /** `from` is neither in the keyring nor introduced by an earlier accepted transition. */
  'unknown-from-key',
  /** `from` was not in service at `effectiveFrom` (e.g. already rotated away: a fork). */
  'from-key-not-valid',
  /** The new public key does not hash to the fingerprint the statement names. */
  'to-fingerprint-mismatch',
  'bad-from-signature',
  'bad-to-signature',
  /** No timestamp token verifies for the record. */
  'not-timestamped',
  /** Timestamped only after it took effect: a backdated rotation. */
  'timestamped-after-effect',
] as const;
export type TransitionRejection = (typeof transitionRejections)[number];

/** A transition as found, with where it was found (archive key, file path). */
export interface TransitionCandidate {
  readonly source: string;
  readonly record: unknown;
}

export interface TrustResolution {
  readonly keys: readonly TrustedKey[];
  readonly accepted: readonly {
    source: string;
    from: string;
    to: string;
    effectiveFrom: Date;
    timestampedAt: Date;
  }[];
  readonly rejected: readonly {
    source: string;
    reason: TransitionRejection;
    detail: string;
  }[];
}

export interface TrustContext {
  readonly tsa: TsaTrust;
  readonly archiveBucket: string;
}

type WorkingKey = { -readonly [K in keyof TrustedKey]: TrustedKey[K] };

class Rejected extends Error {
  constructor(
    readonly reason: TransitionRejection,
    detail: string,
  ) {
    super(detail);
  }
}

interface Parsed {
  source: string;
  record: TransitionRecord;
  statement: TransitionStatement;
}

function parse(candidate: TransitionCandidate): Parsed {
  const record = transitionRecordSchema.safeParse(candidate.record);
  if (!record.success) throw new Rejected('malformed', record.error.issues[0].message);
  let json: unknown;
  try {
    json = JSON.parse(record.data.statement);
  } catch {
    throw new Rejected('malformed', 'statement is not JSON');
  }
  const statement = transitionStatementSchema.safeParse(json);
  if (!statement.success)
    throw new Rejected(
      'malformed',
      `statement.${statement.error.issues[0].path.join('.')}: ${statement.error.issues[0].message}`,
    );
  if (statement.data.from === statement.data.to.fingerprint)
    throw new Rejected('malformed', 'from and to are the same key');
  return { source: candidate.source, record: record.data, statement: statement.data };
}

const validAt = (key: TrustedKey, at: Date) =>
  key.notBefore.getTime() <= at.getTime() &&
  (key.notAfter === undefined || at.getTime() < key.notAfter.getTime());

/** The new key, checked against its fingerprint; both signatures over the statement. */
function checkSignatures(t: Parsed, from: TrustedKey): KeyObject {
  let to: KeyObject;
  try {
    to = createPublicKey(t.statement.to.publicKeyPem);
  } catch {
    throw new Rejected('malformed', 'statement.to.publicKeyPem is not a public key');
  }
  if (spkiFingerprint(to) !== t.statement.to.fingerprint)
    throw new Rejected(
      'to-fingerprint-mismatch',
      `to.publicKeyPem has fingerprint ${spkiFingerprint(to)}, statement says ${t.statement.to.fingerprint}`,
    );
  const { statement, fromSignature, toSignature } = t.record;
  if (
    !verifySignature(
      from.publicKey,
      fromSigningString(statement),
      Buffer.from(fromSignature, 'base64'),
    )
  )
    throw new Rejected('bad-from-signature', `not signed by the old key ${from.fingerprint}`);
  if (
    !verifySignature(
      to,
      toSigningString(statement, fromSignature),
      Buffer.from(toSignature, 'base64'),
    )
  )
    throw new Rejected('bad-to-signature', 'not countersigned by the new key');
  return to;
}

/** The earliest genTime among the record's tokens that verify. */
async function timestampedAt(t: Parsed, tsa: TsaTrust): Promise<Date> {
  const imprint = transitionImprint(t.record);
  const times: Date[] = [];
  const failures: string[] = [];
  for (const token of t.record.timestamps) {
    const verdict = await verifyTimeStampToken(
      Buffer.from(token, 'base64'),
      { sha256: imprint },
      tsa,
    );
    if (verdict.ok) times.push(verdict.genTime);
    else failures.push(`${verdict.reason}: ${verdict.detail}`);
  }
  if (times.length === 0)
    throw new Rejected(
      'not-timestamped',
      failures.length === 0 ? 'the record carries no timestamp' : failures.join('; '),
    );
  return new Date(Math.min(...times.map((d) => d.getTime())));
}

/** Checks one transition against the keys trusted so far; on success retires `from` and trusts `to`. */
async function applyTransition(
  t: Parsed,
  keys: WorkingKey[],
  stage: string,
  context: TrustContext,
): Promise<TrustResolution['accepted'][number]> {
  const effectiveFrom = new Date(t.statement.effectiveFrom);
  if (t.statement.stage !== stage || t.statement.archiveBucket !== context.archiveBucket)
    throw new Rejected(
      'wrong-archive',
      `for ${t.statement.stage} ${t.statement.archiveBucket}, not ${stage} ${context.archiveBucket}`,
    );
  const from = keys.find((k) => k.fingerprint === t.statement.from);
  if (from === undefined)
    throw new Rejected('unknown-from-key', `${t.statement.from} is not a trusted key`);
  if (!validAt(from, effectiveFrom))
    throw new Rejected(
      'from-key-not-valid',
      `${from.fingerprint} is not in service at ${t.statement.effectiveFrom}`,
    );
  const to = checkSignatures(t, from);
  const at = await timestampedAt(t, context.tsa);
  if (at.getTime() > effectiveFrom.getTime())
    throw new Rejected(
      'timestamped-after-effect',
      `timestamped ${at.toISOString()}, after it took effect at ${t.statement.effectiveFrom}`,
    );
  from.notAfter = effectiveFrom;
  if (!keys.some((k) => k.fingerprint === t.statement.to.fingerprint))
    keys.push({
      fingerprint: t.statement.to.fingerprint,
      publicKey: to,
      notBefore: effectiveFrom,
      via: t.source,
    });
  return {
    source: t.source,
    from: t.statement.from,
    to: t.statement.to.fingerprint,
    effectiveFrom,
    timestampedAt: at,
  };
}

/**
 * The keys a verifier may accept digests from: the published keyring, plus
 * keys reached from it by transitions that the old key signed, the new key
 * countersigned and a pinned TSA timestamped before they took effect.
 * Transitions apply in `effectiveFrom` order; each one retires its old key
 * at `effectiveFrom`, so of two rotations away from one key only the first
 * can apply. A key the account swapped in any other way is not here.
 */
export async function resolveTrustedKeys(
  keyring: Keyring,
  candidates: readonly TransitionCandidate[],
  context: TrustContext,
): Promise<TrustResolution> {
  const keys: WorkingKey[] = keyring.keys.map((k) => ({
    fingerprint: k.fingerprint,
    publicKey: k.publicKey,
    notBefore: k.notBefore,
    notAfter: k.notAfter,
    via: 'keyring',
  }));
  const accepted: TrustResolution['accepted'][number][] = [];
  const rejected: TrustResolution['rejected'][number][] = [];
  const parsed: Parsed[] = [];
  for (const candidate of candidates) {
    try {
      parsed.push(parse(candidate));
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      rejected.push({ source: candidate.source, reason: error.reason, detail: error.message });
    }
  }
  parsed.sort((a, b) => a.statement.effectiveFrom.localeCompare(b.statement.effectiveFrom));
  for (const t of parsed) {
    try {
      accepted.push(await applyTransition(t, keys, keyring.stage, context));
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      rejected.push({ source: t.source, reason: error.reason, detail: error.message });
    }
  }
  return { keys, accepted, rejected };
}

export type SignatureCheck =
  | { readonly ok: true; readonly key: TrustedKey }
  | {
      readonly ok: false;
      /** unknown-key: not trusted at all; key-not-valid: trusted, but not for that hour. */
      readonly reason: 'unknown-key' | 'key-not-valid' | 'bad-signature';
      readonly detail: string;
    };

/**
 * Checks a digest's signature with the trusted key its fingerprint names,
 * and only that key, for the digest's hour. Whatever key the account's KMS
 * alias points at plays no part.
 */
export function verifyDigestSignature(
  keys: readonly TrustedKey[],
  digest: { fingerprint: string; hourStart: Date; message: Uint8Array; signature: Uint8Array },
): SignatureCheck {
  const key = keys.find((k) => k.fingerprint === digest.fingerprint);
  if (key === undefined)
    return {
      ok: false,
      reason: 'unknown-key',
      detail: `signing key ${digest.fingerprint} is neither published nor reached by a signed transition`,
    };
  if (!validAt(key, digest.hourStart))
    return {
      ok: false,
      reason: 'key-not-valid',
      detail: `key ${key.fingerprint} signs hours from ${key.notBefore.toISOString()} to ${key.notAfter?.toISOString() ?? 'now'}, not ${digest.hourStart.toISOString()}`,
    };
  if (!verifySignature(key.publicKey, digest.message, digest.signature))
    return {
      ok: false,
      reason: 'bad-signature',
      detail: `signature does not verify with key ${key.fingerprint}`,
    };
  return { ok: true, key };
}
