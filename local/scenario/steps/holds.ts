import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { DAY_MS } from '../../../core/time/units';
import { casePrefix, prefixes } from '../../../core/naming';
import { ScenarioContext, logvault } from '../context';
import { onTrino } from './aggregate';
import { heldEveryArchivedVersion } from '../checks';

interface ShownCase {
  readonly case: { readonly objectCount: number };
  readonly audit: { readonly event: string; readonly details: { succeeded?: number } }[];
}

/** A threshold of 1 makes the small archive a "large" case: S3 Batch Operations sets the flags. */
const VIA_BATCH_JOB = { HOLD_LARGE_SCOPE_THRESHOLD: '1' };

const instant = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `logvault hold --local`, as on-call would run it against the stand-ins. */
function hold(ctx: ScenarioContext, args: string[], env: Record<string, string> = {}) {
  const { stage } = ctx.options;
  const common = ['--local', '--stage', stage, '--requester', 'scenario'];
  return logvault(['hold', ...args, ...common], { ...onTrino(stage), ...env });
}

const show = async (ctx: ScenarioContext, caseId: string) =>
  JSON.parse(await hold(ctx, ['show', caseId, '--json'])) as ShownCase;

const jobSucceeded = (shown: ShownCase, step: string) =>
  shown.audit.find((e) => e.event.startsWith(`${step}:`))?.details.succeeded;

/** Extract versions of the OCSP case in the investigations bucket. */
async function extractVersions(ctx: ScenarioContext): Promise<number> {
  const listed = await ctx.clients.s3.send(
    new ListObjectVersionsCommand({
      Bucket: ctx.bucket('investigations'),
      Prefix: casePrefix('CASE-OCSP-1'),
    }),
  );
  return listed.Versions?.length ?? 0;
}

/** The ACME case through two batch jobs; the OCSP case holds exactly the top serial's requests. */
async function applyCases(ctx: ScenarioContext, scope: string[]): Promise<number> {
  ctx.options.print(
    await hold(ctx, ['apply', 'CASE-ACME-1', '--dataset', 'acme', ...scope], VIA_BATCH_JOB),
  );
  const acme = await show(ctx, 'CASE-ACME-1');
  const archived = await ctx.countObjects(ctx.bucket('subscriber-archive'), prefixes.acme);
  ctx.check(
    `an S3 Batch Operations job held all ${archived} archived versions of the ACME case`,
    heldEveryArchivedVersion(archived, {
      caseObjects: acme.case.objectCount,
      jobSucceeded: jobSucceeded(acme, 'apply-job-completed'),
    }),
  );
  const serial = ctx.topSerial!;
  const ocsp = JSON.parse(
    await hold(ctx, [
      'apply',
      'CASE-OCSP-1',
      '--dataset',
      'ocsp',
      '--serial',
      serial,
      ...scope,
      '--json',
    ]),
  ) as { recordCount: number };
  ctx.options.print(`CASE-OCSP-1: ${ocsp.recordCount} records of ${serial} extracted and held`);
  const shipped = readFileSync(join(ctx.work, 'ocsp.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"serial":"${serial}"`)).length;
  ctx.check(
    `the extract holds exactly the ${shipped} shipped requests for ${serial}, nobody else's`,
    ocsp.recordCount === shipped,
  );
  return acme.case.objectCount;
}

/** Deleting a held archive version is refused, the governance bypass notwithstanding. */
async function tryDeleteHeld(ctx: ScenarioContext): Promise<void> {
  const Bucket = ctx.bucket('subscriber-archive');
  const listed = await ctx.clients.s3.send(
    new ListObjectVersionsCommand({ Bucket, Prefix: prefixes.acme }),
  );
  const held = listed.Versions![0]!;
  const refused = await ctx.clients.s3
    .send(
      new DeleteObjectCommand({
        Bucket,
        Key: held.Key,
        VersionId: held.VersionId,
        BypassGovernanceRetention: true,
      }),
    )
    .then(
      () => false,
      (error: Error) => error.name === 'AccessDenied',
    );
  ctx.check('deleting a held archive version is refused, even with the governance bypass', refused);
}

/** Step 5: an ACME case and an OCSP investigation held, a delete refused, both released. */
export async function holdAndRelease(ctx: ScenarioContext): Promise<string> {
  const now = Date.now();
  const scope = [
    '--from',
    instant(now - 2 * DAY_MS),
    '--to',
    instant(now),
    '--reason',
    'scenario',
    '--ticket',
    'DEMO-1',
  ];
  const acmeVersions = await applyCases(ctx, scope);
  await tryDeleteHeld(ctx);
  const extracted = await extractVersions(ctx);
  ctx.check(
    'the OCSP investigation extracted only its records into the investigations bucket',
    extracted > 0,
  );
  const release = ['--reason', 'scenario done'];
  ctx.options.print(await hold(ctx, ['release', 'CASE-ACME-1', ...release], VIA_BATCH_JOB));
  ctx.check(
    'releasing it, a second job lifted every one of those holds',
    jobSucceeded(await show(ctx, 'CASE-ACME-1'), 'release-job-completed') === acmeVersions,
  );
  ctx.options.print(await hold(ctx, ['release', 'CASE-OCSP-1', ...release]));
  ctx.check(
    'releasing the OCSP case deleted every version of its extract',
    (await extractVersions(ctx)) === 0,
  );
  ctx.facts.holds = { extractObjects: extracted };
  return `held and released 2 cases, the ACME one through 2 S3 Batch Operations jobs; ${extracted} extract object(s) created and deleted`;
}
