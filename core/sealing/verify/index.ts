import { HOUR_MS, addHours, archivedDayPrefixes, hourOf } from '../keys';
import { listVersions } from '../../s3/objects';
import { anchorFindings } from './anchors';
import { walkChain } from './chain';
import { checkLocks } from './locks';
import { checkObjects, latestVersions, quarantined, undigested } from './objects';
import type { Finding, VerifyContext, VerifyReport } from './types';

export * from './types';

/**
 * Walks the digest chain hour by hour from `from` to `to` (inclusive hours) and
 * checks every digested archive version: present, current, unaltered (bytes
 * re-hashed), still locked; then looks for versions written in the range that
 * no digest lists. Reads only; needs the public key, never the signing key.
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
  const listing = await listVersions(ctx.s3, ctx.archiveBucket, [
    ...new Set([
      ...archivedDayPrefixes(from, to, ctx.scanDays),
      ...entries.map((e) => e.key.replace(/[^/]*\/[^/]*$/, '')),
    ]),
  ]);
  const objectBytes = await checkObjects(ctx, entries, latestVersions(listing), findings);
  const end = to.getTime() + HOUR_MS;
  findings.push(...undigested(listing.versions, entries, from.getTime(), end));
  findings.push(...quarantined(entries));
  if (ctx.anchors)
    findings.push(...(await anchorFindings(ctx.anchors, ctx.archiveBucket, digests, chainStart)));
  if (ctx.lock)
    findings.push(
      ...(await checkLocks({ ...ctx, lock: ctx.lock }, listing.versions, {
        from: from.getTime(),
        end,
      })),
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
