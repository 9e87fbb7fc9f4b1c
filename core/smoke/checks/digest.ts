import { objectPages } from '../../s3/pagers';
import { addHours, archivedDayPrefixes, hourOfDigestKey } from '../../sealing/keys';
import { stageLockPolicy } from '../../sealing/lock-policy';
import { verifyArchive } from '../../sealing/verify';
import { DIGEST_AT_MINUTE } from '../../sealing/keys';
import { prefixes } from '../../naming';
import type { SmokeContext } from '../context';
import { CheckVerdict, fail, pass, skip } from '../result';

/** The newest digest hour in the archive, if any. */
async function newestDigestHour(ctx: SmokeContext, archive: string): Promise<Date | undefined> {
  let newest: Date | undefined;
  for await (const page of objectPages(ctx.clients.s3, archive, prefixes.digests))
    for (const o of page.Contents ?? []) {
      const hour = hourOfDigestKey(o.Key!);
      if (hour && (newest === undefined || hour > newest)) newest = hour;
    }
  return newest;
}

const at = (hour: Date) => `${addHours(hour, 1).toISOString().slice(0, 14)}${DIGEST_AT_MINUTE}Z`;

/**
 * The newest hourly digest verifies against the stage's published keyring
 * (signature, chain link, every listed object intact and locked). Digests
 * are hourly: the canaries sealed this hour are listed in the digest written
 * at the next hour's minute 15, which the detail names for a later
 * `logvault verify`. Runs before the canaries are sealed, so a digest the
 * stand-ins wrote early for this hour is verified as it stood.
 */
export async function digestCheck(ctx: SmokeContext): Promise<CheckVerdict> {
  if ('error' in ctx.trust) return fail(`the stage's published keyring: ${ctx.trust.error}`);
  if (ctx.trust.keys.length === 0)
    return fail(
      `trust/${ctx.stage}/digest-keys.json publishes no key: the digest function refuses to sign (docs/trust.md, "publishing a key")`,
    );
  const archive = ctx.bucket('subscriber-archive');
  const hour = await newestDigestHour(ctx, archive);
  const thisHour = new Date(Math.floor(ctx.now().getTime() / 3_600_000) * 3_600_000);
  const later = `the canaries of ${thisHour.toISOString().slice(0, 13)}h are listed in the digest written at ${at(thisHour)}: logvault verify --stage ${ctx.stage} --from ${thisHour.toISOString()} --to ${thisHour.toISOString()}`;
  if (hour === undefined) return skip(`no digest in the archive yet; ${later}`);
  const scanDays = ctx.config.subscriber.landingExpiryDays + 1;
  const report = await verifyArchive(
    {
      s3: ctx.clients.s3,
      archiveBucket: archive,
      trustedKeys: ctx.trust.keys,
      scanDays,
      lock: stageLockPolicy(ctx.config),
      // A smoke check stays fast: the hour's own folders, not the whole archive (logvault verify lists it all).
      listPrefixes: archivedDayPrefixes(hour, addHours(hour, 1), scanDays),
    },
    { from: hour, to: hour },
  );
  if (report.findings.length > 0 || report.digests === 0)
    return fail(
      `digest of ${hour.toISOString()}: ${report.findings.map((f) => `${f.kind} ${f.key}`).join('; ') || 'not found'}`,
    );
  return pass(`the digest of ${hour.toISOString()} verifies (${report.objects} objects); ${later}`);
}
