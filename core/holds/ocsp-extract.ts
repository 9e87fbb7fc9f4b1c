import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { fillSql, readSqlFile } from '../query/sql-file';
import { ApplyEvent, CaseRequest, RejectedRequest, ScopeFilters } from './case';
import { casePrefix, extractTableName, glueTables } from '../naming';
import { arrivalPartitions } from '../time/margins';
import { mapBounded } from '../pool';
import { DAY_MS } from '../time/units';
import { listAllVersionIds, listVersions, setLegalHold } from './s3-objects';
import type { HoldDeps, HoldOutcome, KeyFailure } from './deps';
import { alreadyApplied, finishApply, openCase, recordPending } from './steps';

/** OCSP cases: extract only the matching records (CTAS), hold the extract, delete it at release. */

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

function ipFilter(filters: ScopeFilters): string {
  if (!filters.ips) return 'true';
  const networks = filters.ips.map((entry) =>
    entry.includes('/') ? entry : `${entry}/${entry.includes(':') ? 128 : 32}`,
  );
  return networks.map((n) => `contains(${quote(n)}, CAST(client_ip AS IPADDRESS))`).join(' OR ');
}

function serialFilter(filters: ScopeFilters): string {
  return filters.serials ? `serial IN (${filters.serials.map(quote).join(', ')})` : 'true';
}

/** Comment lines and placeholders filled: one statement fragment. */
const sqlFragment = (file: string, values: Record<string, string>) =>
  fillSql(
    readSqlFile(file)
      .split('\n')
      .filter((line) => !line.startsWith('--'))
      .join('\n')
      .trim(),
    values,
  );

/** The WHERE predicate of a case (sql/holds/ocsp-scope.sql). */
function scopePredicate(request: CaseRequest): string {
  const { first, last } = arrivalPartitions(
    Date.parse(request.scope.from),
    Date.parse(request.scope.to),
  );
  return sqlFragment('holds/ocsp-scope.sql', {
    firstHour: first,
    lastHour: last,
    from: request.scope.from,
    to: request.scope.to,
    ipFilter: ipFilter(request.scope.filters),
    serialFilter: serialFilter(request.scope.filters),
  });
}

/** The CTAS statement for a case (sql/holds/ocsp-extract.sql). */
export function extractSql(request: CaseRequest, database: string, bucket: string): string {
  return sqlFragment('holds/ocsp-extract.sql', {
    extractTable: `${database}.${extractTableName(request.caseId)}`,
    location: `s3://${bucket}/${casePrefix(request.caseId)}`,
    sourceTable: `${database}.${glueTables.ocspRequests}`,
    scope: scopePredicate(request),
  });
}

/** The dry-run count for a case (sql/holds/ocsp-count.sql). */
export function countSql(request: CaseRequest, database: string): string {
  return sqlFragment('holds/ocsp-count.sql', {
    sourceTable: `${database}.${glueTables.ocspRequests}`,
    scope: scopePredicate(request),
  });
}

/**
 * Refuses ranges the raw bucket no longer (or never) holds completely: raw
 * objects expire `expiryDays` after they were written, and an extract is a
 * snapshot, so it cannot reach into the future either.
 */
export function checkOcspRange(request: CaseRequest, now: Date, expiryDays: number): void {
  const oldest = new Date(now.getTime() - expiryDays * DAY_MS);
  if (Date.parse(request.scope.from) < oldest.getTime())
    throw new RejectedRequest(
      `scope starts at ${request.scope.from}, but raw OCSP logs are deleted after ${expiryDays} days: ` +
        `records before ${oldest.toISOString()} may already be gone, so the extract could not be complete. ` +
        `Start the scope at ${oldest.toISOString()} or later (older OCSP records no longer exist by policy).`,
    );
  if (Date.parse(request.scope.to) > now.getTime())
    throw new RejectedRequest(
      `scope ends at ${request.scope.to}, in the future; an OCSP extract is a snapshot of existing records`,
    );
}

/** Deletes every prior attempt's objects under the case prefix (none is held before the extract is recorded). */
async function clearPrefix(deps: HoldDeps, caseId: string): Promise<void> {
  const all = await listAllVersionIds(deps.s3, deps.buckets.investigations, casePrefix(caseId));
  await mapBounded(all, deps.concurrency, (v) =>
    deps.s3.send(
      new DeleteObjectCommand({
        Bucket: deps.buckets.investigations,
        Key: v.key,
        VersionId: v.versionId,
      }),
    ),
  );
}

export async function extractOcsp(deps: HoldDeps, event: ApplyEvent): Promise<HoldOutcome> {
  const request = event.case;
  const { caseId } = request;
  checkOcspRange(request, deps.now(), deps.ocspRawExpiryDays);
  const runner = deps.queryRunner();
  const db = deps.glueDatabase;
  if (!db) throw new Error('OCSP extracts need the Glue database (LOGVAULT_GLUE_DATABASE)');
  if (event.dryRun) {
    const result = await runner.run(countSql(request, db), { correlationId: caseId });
    return {
      caseId,
      result: 'dry-run',
      objectCount: 0,
      bytes: 0,
      recordCount: Number(result.rows[0]?.[0] ?? 0),
      processed: 0,
      failures: [],
      message: 'an OCSP dry run counts matching records; extract objects exist only after apply',
    };
  }
  const opened = await openCase(deps, request);
  if (opened.status === 'active') return alreadyApplied(opened);
  let recordCount = opened.recordCount;
  if (recordCount === undefined) {
    const table = `${db}.${extractTableName(caseId)}`;
    await clearPrefix(deps, caseId);
    await runner.run(`DROP TABLE IF EXISTS ${table}`, { correlationId: caseId });
    await runner.run(extractSql(request, db, deps.buckets.investigations), {
      correlationId: caseId,
    });
    const counted = await runner.run(`SELECT count(*) FROM ${table}`, { correlationId: caseId });
    await runner.run(`DROP TABLE ${table}`, { correlationId: caseId });
    recordCount = Number(counted.rows[0]?.[0] ?? 0);
    await deps.registry.updateCase(caseId, ['applying'], 'applying', { recordCount });
  }
  const versions = await listVersions(deps.s3, deps.buckets.investigations, casePrefix(caseId));
  return finishApply(deps, request, await recordPending(deps, caseId, versions), { recordCount });
}

/** Lifts the holds on, then deletes, every version and delete marker under the case prefix. */
export async function deleteExtracts(
  deps: HoldDeps,
  caseId: string,
): Promise<{ deletedVersions: number; failures: KeyFailure[] }> {
  const bucket = deps.buckets.investigations;
  const all = await listAllVersionIds(deps.s3, bucket, casePrefix(caseId));
  const failures: KeyFailure[] = [];
  let deletedVersions = 0;
  await mapBounded(all, deps.concurrency, async (v) => {
    try {
      if (!v.deleteMarker)
        await setLegalHold(deps.s3, { bucket, key: v.key, versionId: v.versionId, size: 0 }, false);
      await deps.s3.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId }),
      );
      await deps.registry.deleteMembership(caseId, {
        bucket,
        key: v.key,
        versionId: v.versionId,
        size: 0,
      });
      deletedVersions += 1;
    } catch (error) {
      failures.push({ key: v.key, versionId: v.versionId, error: (error as Error).message });
    }
  });
  const left = await listAllVersionIds(deps.s3, bucket, casePrefix(caseId));
  if (failures.length === 0 && left.length > 0)
    failures.push(
      ...left.map((v) => ({
        key: v.key,
        versionId: v.versionId,
        error: 'still present after delete',
      })),
    );
  return { deletedVersions, failures };
}
