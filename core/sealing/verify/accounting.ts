import type { ObjectVersion } from '@aws-sdk/client-s3';
import type { SealedEntry } from '../digest';
import { EVIDENCE_PREFIXES, digestLooksAt, hourOf } from '../keys';
import type { Finding, PendingObject } from './types';

/** What verify knows when it accounts for the listing of the whole archive. */
export interface AccountingScope {
  /** Every version the verified (trusted) digests name (`namedVersions`). */
  readonly named: ReadonlySet<string>;
  /** The verified hours, as [from, end) in ms. */
  readonly from: number;
  readonly end: number;
  /** The last hour whose digest is due at verify's clock (`lastDueHour`). */
  readonly lastDue: Date;
  readonly scanDays: number;
}

export interface Accounting {
  readonly findings: Finding[];
  /** Versions whose hour's digest is not due yet: not tampering, not yet accounted for. */
  readonly pending: PendingObject[];
  /** Versions outside the range, where the digest of their hour looks: that hour's verify checks them. */
  readonly outsideRange: number;
}

/** The versions the verified digests name, as `accountFor` looks them up. */
export function namedVersions(entries: readonly SealedEntry[]): Set<string> {
  return new Set(entries.map((e) => versionKey(e.key, e.versionId)));
}

const versionKey = (key: string, version: string | undefined) => `${key}\u0000${version}`;

/** Whether a key is archive data rather than evidence (digests, transitions, anchors). */
export function isData(key: string): boolean {
  return !EVIDENCE_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * Accounts for every version of the whole archive, in order:
 * 1. named by a verified digest: accounted for;
 * 2. its key is where no digest of its hour looks (an older date folder than
 *    sealing writes into, outside the date layout, anywhere else in the
 *    bucket): unaccounted, whenever written, as no digest will ever name it;
 * 3. written in the verified range: unaccounted, the range's digests left it out;
 * 4. written after the last due digest's hour: pending;
 * 5. otherwise: outside the range, where its hour's digest looks.
 */
export function accountFor(versions: readonly ObjectVersion[], scope: AccountingScope): Accounting {
  const findings: Finding[] = [];
  const pending: PendingObject[] = [];
  let outsideRange = 0;
  for (const v of versions) {
    const key = v.Key!;
    if (!isData(key) || scope.named.has(versionKey(key, v.VersionId))) continue;
    const written = v.LastModified!;
    const unaccounted = (why: string) =>
      findings.push({
        kind: 'unaccounted-object',
        key,
        versionId: v.VersionId,
        detail: `written ${written.toISOString()}; ${why}`,
      });
    const hour = hourOf(written);
    if (!digestLooksAt(key, hour, scope.scanDays))
      unaccounted('outside every prefix the digest of its hour lists: no digest will name it');
    else if (written.getTime() >= scope.from && written.getTime() < scope.end)
      unaccounted('in no digest of the range');
    else if (hour > scope.lastDue)
      pending.push({ key, versionId: v.VersionId, written: written.toISOString() });
    else outsideRange++;
  }
  return { findings, pending, outsideRange };
}
