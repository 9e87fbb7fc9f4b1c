import { anchorRecordSchema } from './anchor-record';
import { TsaTrust } from './tsa-trust';
import { verifyTimeStampToken } from './verify-token';

/** One hour of the chain as the verifier read it. */
export interface ChainLink {
  readonly key: string;
  readonly hourEnd: Date;
  /** Hex SHA-256 of the digest's bytes; undefined when the digest is missing. */
  readonly sha256?: string;
}

/** An anchor record as found, and where (archive key, public repository path). */
export interface AnchorCandidate {
  readonly source: string;
  readonly record: unknown;
}

export const anchorFindingKinds = [
  /** Not an anchor of this archive, or a token in it does not verify. */
  'anchor-invalid',
  /** The anchored digest's bytes changed since it was anchored: the history was rewritten. */
  'anchor-mismatch',
  /** The anchored digest is gone. */
  'anchor-missing-digest',
  /** Timestamped long after its hour: the head may have been made (or remade) late. */
  'late-anchor',
  /** Digests older than the allowed gap that no anchor covers: only the account vouches for them. */
  'unanchored-hours',
] as const;
export type AnchorFindingKind = (typeof anchorFindingKinds)[number];

export interface AnchorFinding {
  readonly kind: AnchorFindingKind;
  readonly key: string;
  readonly detail: string;
}

export interface VerifiedAnchor {
  readonly source: string;
  readonly headKey: string;
  readonly sha256: string;
  /** The earliest genTime among its tokens that verify. */
  readonly genTime: Date;
  readonly tsas: readonly string[];
}

export interface AnchorCheckInput {
  /** The chain in hour order, through the newest digest read (anchors after it cannot be matched). */
  readonly links: readonly ChainLink[];
  readonly anchors: readonly AnchorCandidate[];
  readonly tsa: TsaTrust;
  readonly stage: string;
  readonly archiveBucket: string;
  readonly now: Date;
  /**
   * How long after its hour ends a head may be anchored before `late-anchor`.
   * @default 3
   */
  readonly maxDelayHours?: number;
  /**
   * How long after its hour ends a digest may stay without an anchor before `unanchored-hours`.
   * @default 3
   */
  readonly maxUnanchoredHours?: number;
}

const HOUR_MS = 3_600_000;

/** Verifies one anchor record's tokens; undefined (with findings) when none verifies. */
async function verifyAnchor(
  candidate: AnchorCandidate,
  input: AnchorCheckInput,
  findings: AnchorFinding[],
): Promise<VerifiedAnchor | undefined> {
  const invalid = (detail: string) =>
    findings.push({ kind: 'anchor-invalid', key: candidate.source, detail });
  const parsed = anchorRecordSchema.safeParse(candidate.record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    invalid(`not an anchor record: ${issue.path.join('.')}: ${issue.message}`);
    return undefined;
  }
  const { stage, archiveBucket, head, tokens } = parsed.data;
  if (stage !== input.stage || archiveBucket !== input.archiveBucket) {
    invalid(`anchors ${stage} ${archiveBucket}, not ${input.stage} ${input.archiveBucket}`);
    return undefined;
  }
  const times: Date[] = [];
  const tsas: string[] = [];
  for (const { tsa, token } of tokens) {
    const verdict = await verifyTimeStampToken(
      Buffer.from(token, 'base64'),
      { sha256: Buffer.from(head.sha256, 'hex') },
      input.tsa,
      input.now,
    );
    if (verdict.ok) {
      times.push(verdict.genTime);
      tsas.push(verdict.tsa);
    } else invalid(`token from ${tsa}: ${verdict.reason}: ${verdict.detail}`);
  }
  if (times.length === 0) return undefined;
  return {
    source: candidate.source,
    headKey: head.key,
    sha256: head.sha256,
    genTime: new Date(Math.min(...times.map((t) => t.getTime()))),
    tsas,
  };
}

/** Compares one verified anchor with the chain as read now; true when it still holds. */
function matchAnchor(
  anchor: VerifiedAnchor,
  link: ChainLink,
  maxDelayHours: number,
  findings: AnchorFinding[],
): boolean {
  const at = anchor.genTime.toISOString();
  if (link.sha256 === undefined) {
    findings.push({
      kind: 'anchor-missing-digest',
      key: link.key,
      detail: `anchored at ${at} (${anchor.source}) but the digest is gone`,
    });
    return false;
  }
  if (link.sha256 !== anchor.sha256) {
    findings.push({
      kind: 'anchor-mismatch',
      key: link.key,
      detail: `had SHA-256 ${anchor.sha256} when anchored at ${at} (${anchor.source}), has ${link.sha256} now: the chain was rewritten`,
    });
    return false;
  }
  if (anchor.genTime.getTime() > link.hourEnd.getTime() + maxDelayHours * HOUR_MS)
    findings.push({
      kind: 'late-anchor',
      key: link.key,
      detail: `anchored at ${at}, more than ${maxDelayHours} h after its hour ended`,
    });
  return true;
}

/**
 * Checks the chain against the external anchors: every anchor must verify
 * (pinned TSA, imprint = the head's SHA-256) and its head must still be in
 * the chain with the same bytes. A rewritten and re-signed history changes
 * the heads' hashes, so the anchors taken before the rewrite no longer match
 * (`anchor-mismatch`), whoever controls the signing key. Digests after the
 * newest matching anchor rest on the account alone (`unanchored-hours` once
 * they are older than the allowed gap). That the links between an anchored
 * head and the digests before it hold is the chain walk's job.
 */
export async function checkAnchors(input: AnchorCheckInput): Promise<{
  anchored: VerifiedAnchor[];
  findings: AnchorFinding[];
}> {
  const findings: AnchorFinding[] = [];
  const anchored: VerifiedAnchor[] = [];
  const position = new Map(input.links.map((link, i) => [link.key, i]));
  let covered = -1;
  for (const candidate of input.anchors) {
    const anchor = await verifyAnchor(candidate, input, findings);
    if (anchor === undefined) continue;
    anchored.push(anchor);
    const i = position.get(anchor.headKey);
    if (i === undefined) continue;
    if (matchAnchor(anchor, input.links[i], input.maxDelayHours ?? 3, findings))
      covered = Math.max(covered, i);
  }
  const tail = input.links.slice(covered + 1);
  const limit = input.now.getTime() - (input.maxUnanchoredHours ?? 3) * HOUR_MS;
  if (tail.length > 0 && tail[0].hourEnd.getTime() < limit)
    findings.push({
      kind: 'unanchored-hours',
      key: tail[0].key,
      detail: `${tail.length} digests from ${tail[0].key} to ${tail.at(-1)!.key} have no anchor`,
    });
  return { anchored, findings };
}
