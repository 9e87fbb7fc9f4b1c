import { HOUR_MS, addHours, hourOf, lastDueHour } from '../keys';
import { anchorFindings } from './anchors';
import { walkChain } from './chain';
import { checkLocks } from './locks';
import { namedVersions } from './accounting';
import { listArchive } from './listing';
import { checkObjects, quarantined } from './objects';
import type { Finding, VerifyContext, VerifyReport } from './types';

export * from './types';

/**
 * Walks the digest chain hour by hour from `from` to `to` (inclusive hours) and
 * checks every digested archive version: present, current, unaltered (bytes
 * re-hashed), still locked; then lists every version of the whole archive and
 * accounts for each (`accountFor`). Reads only; needs the public key, never the signing key.
 */
export async function verifyArchive(
  ctx: VerifyContext,
  range: { from: Date; to: Date },
): Promise<VerifyReport> {
  const findings: Finding[] = [];
  const from = hourOf(range.from);
  const to = hourOf(range.to);
  const hours: Date[] = [];
  for (let h = from; h <= to; h = addHours(h, 1)) hours.push(h);
  const { digests, chainStart } = await walkChain(ctx, hours, findings);
  const entries = digests.flatMap((d) => d.objects);
  const end = to.getTime() + HOUR_MS;
  // The whole bucket, every version: the range narrows which digests are verified, never what is listed.
  const { latest, inRange, accounting, listed } = await listArchive(ctx, entries, {
    named: namedVersions(entries),
    from: from.getTime(),
    end,
    lastDue: lastDueHour(ctx.now ?? new Date()),
    scanDays: ctx.scanDays,
  });
  const objectBytes = await checkObjects(ctx, entries, latest, findings);
  findings.push(...accounting.findings);
  findings.push(...quarantined(entries));
  if (ctx.anchors)
    findings.push(...(await anchorFindings(ctx.anchors, ctx.archiveBucket, digests, chainStart)));
  if (ctx.lock)
    findings.push(
      ...(await checkLocks({ ...ctx, lock: ctx.lock }, inRange, { from: from.getTime(), end })),
    );
  return {
    bucket: ctx.archiveBucket,
    from: from.toISOString(),
    to: new Date(end).toISOString(),
    chainStart: chainStart?.toISOString(),
    digests: digests.filter((d) => d.sha256 !== undefined).length,
    digestBytes: digests.reduce((sum, d) => sum + d.bytes, 0),
    objects: entries.length,
    objectBytes,
    listed,
    outsideRange: accounting.outsideRange,
    pending: accounting.pending,
    findings: inStableOrder([...(ctx.trustFindings ?? []), ...findings]),
  };
}

/** Findings by key, then kind, then version: the same report for the same archive, every run. */
function inStableOrder(findings: Finding[]): Finding[] {
  const by = (f: Finding) => [f.key, f.kind, f.versionId ?? '', f.detail];
  return findings.sort((a, b) => {
    const [x, y] = [by(a), by(b)];
    const i = x.findIndex((v, n) => v !== y[n]);
    return i < 0 ? 0 : x[i]! < y[i]! ? -1 : 1;
  });
}
