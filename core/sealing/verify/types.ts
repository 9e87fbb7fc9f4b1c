import { S3Client } from '@aws-sdk/client-s3';
import type { AnchorCandidate } from '../anchor/check-anchors';
import type { TrustedKey } from '../anchor/trusted-keys';
import type { TsaTrust } from '../anchor/tsa-trust';
import type { LockPolicy } from '../lock-policy';

export const findingKinds = [
  /** An hour in the range has no digest. */
  'missing-digest',
  /** A digest's `previous` does not name the digest before it or its exact bytes. */
  'broken-link',
  /** A digest's signature does not verify with the trusted key it names, or it is unreadable. */
  'bad-signature',
  /** A digest signed by a key neither published nor reached by a signed transition. */
  'unknown-key',
  /** A digest signed by a trusted key outside the hours that key may sign. */
  'key-not-valid',
  /** A break the digest function recorded (a digest or object it found missing or altered). */
  'chain-break',
  /** A key transition found in the trust directory or the archive that does not hold. */
  'rejected-transition',
  /** A digested version is gone, or its key's current version is a delete marker. */
  'missing-object',
  /** A digested version's bytes differ from its SHA-256, or a newer version replaced it. */
  'altered-object',
  /** A version's lock ends earlier than the digest recorded. */
  'retention-shortened',
  /**
   * An archive version no verified digest names: written in the range, or,
   * wherever written, under a key no digest of its hour lists (an older date
   * folder, outside the date layout, outside `acme/` and `quarantine/acme/`).
   */
  'unaccounted-object',
  /**
   * A digested object sealing archived under the quarantine prefix because it
   * failed validation: kept and locked, read by no table; the detail says why.
   */
  'quarantined',
  /** An archive version locked in another mode or for less than the stage's lock. */
  'short-lock',
  /** With anchors: an anchor that is not of this archive, or whose tokens do not verify. */
  'anchor-invalid',
  /** With anchors: the anchored digest's bytes changed since a TSA timestamped them. */
  'anchor-mismatch',
  /** With anchors: the anchored digest is gone. */
  'anchor-missing-digest',
  /** With anchors: timestamped more than 3 h after its hour: the head may have been remade. */
  'late-anchor',
  /** With anchors: digests more than 3 h old that no matching anchor covers. */
  'unanchored-hours',
] as const;
export type FindingKind = (typeof findingKinds)[number];

export interface Finding {
  readonly kind: FindingKind;
  readonly key: string;
  readonly versionId?: string;
  readonly detail: string;
}

/** A version whose hour's digest is not due yet (the digest of H is written at H+1:15). */
export interface PendingObject {
  readonly key: string;
  readonly versionId?: string;
  readonly written: string;
}

export interface VerifyReport {
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  /** Set when the chain begins inside the range: the earlier hours are not checked. */
  readonly chainStart?: string;
  readonly digests: number;
  readonly digestBytes: number;
  readonly objects: number;
  readonly objectBytes: number;
  /** Data versions in the whole archive listing (every version, every prefix but the evidence). */
  readonly listed: number;
  /** Listed versions outside the range, under keys the digest of their hour lists. */
  readonly outsideRange: number;
  /** Listed versions newer than the last due digest: not yet accounted for, not findings. */
  readonly pending: PendingObject[];
  readonly findings: Finding[];
}

export interface VerifyContext {
  readonly s3: S3Client;
  readonly archiveBucket: string;
  /**
   * The keys digests may be signed by: the published keyring and the keys its
   * signed transitions reach (`resolveTrustedKeys`), never the account's alias.
   */
  readonly trustedKeys: readonly TrustedKey[];
  /** Findings about that trust (rejected transitions), reported with the rest. */
  readonly trustFindings?: readonly Finding[];
  /** Landing expiry plus one, as for writing digests. */
  readonly scanDays: number;
  /**
   * The stage's archive lock: every version written in the range is checked
   * against it (mode and retain-until).
   * @default - locks are compared only with what the digests recorded
   */
  readonly lock?: LockPolicy;
  /**
   * Check the chain against RFC 3161 anchors (`verify --anchors`).
   * @default - not checked
   */
  readonly anchors?: AnchorOptions;
  /**
   * Where to list versions to account for. Only a caller that must stay fast
   * and says so (smoke's one-hour check) narrows it: a narrowed listing
   * accounts for nothing outside it.
   * @default [''] - the whole bucket
   */
  readonly listPrefixes?: readonly string[];
  /**
   * Verify's clock: versions written after the last hour whose digest is due
   * at it are pending.
   * @default new Date()
   */
  readonly now?: Date;
  readonly concurrency?: number;
  /** Called as work completes, e.g. to draw progress on a TTY. */
  readonly onProgress?: (phase: 'digests' | 'objects', done: number, total: number) => void;
}

/** The anchors verify can reach and the TSAs it trusts to date them. */
export interface AnchorOptions {
  /** From the archive (`archiveAnchors`) and from a clone of the public anchor repository. */
  readonly candidates: readonly AnchorCandidate[];
  /** Pinned TSA roots (`trust/tsa/`). */
  readonly tsa: TsaTrust;
  readonly stage: string;
  /** @default new Date() */
  readonly now?: Date;
  /**
   * Whether the stage anchors at all (`anchoring.tsas` not empty): only then
   * are digests no anchor covers a finding (`unanchored-hours`).
   * @default true
   */
  readonly expected?: boolean;
  /**
   * Hours after its hour ends by which a head must be anchored (`anchoring.maxDelayHours`).
   * @default 3
   */
  readonly maxDelayHours?: number;
}
