import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { SqlText, renderSqlFile, sql } from '../query/sql';
import type { QueryRunner } from '../query/runner';
import { ApplyEvent, CaseRequest, RejectedRequest, ScopeFilters } from './case';
import {
  caseFiltersPrefix,
  casePrefix,
  extractTableName,
  filterTableName,
  glueTables,
} from '../naming';
import {
  IdentifierRow,
  IdentifierTable,
  createIdentifierTable,
  deleteEveryVersion,
  dropIdentifierTable,
} from '../query/identifier-table';
import { arrivalPartitions } from '../time/margins';
import { mapBounded } from '../pool';
import { DAY_MS } from '../time/units';
import { listAllVersionIds, listVersions, setLegalHold } from './s3-objects';
import type { HoldDeps, HoldOutcome, KeyFailure } from './deps';
import { alreadyApplied, finishApply, openCase, recordPending } from './steps';

/** OCSP cases: extract only the matching records (CTAS), hold the extract, delete it at release. */

/** The WHERE predicate of a case (sql/holds/ocsp-scope.sql): time bounds only, filters are data. */
function scopePredicate(request: CaseRequest): SqlText {
  const { from, to } = request.scope;
  const { first, last } = arrivalPartitions(Date.parse(from), Date.parse(to));
  return renderSqlFile(
    'holds/ocsp-scope.sql',
    {
      first_hour: sql.string(first),
      last_hour: sql.string(last),
      from: sql.string(from),
      to: sql.string(to),
    },
    { fragment: true },
  );
}

const table = (database: string, name: string) => sql.identifier(`${database}.${name}`);

/** The rows of a case's filter table: its networks (canonical, core/ip) and serials. */
export function filterRows(filters: ScopeFilters): IdentifierRow[] {
  return [
    ...(filters.ips ?? []).map((value) => ({ kind: 'network', value })),
    ...(filters.serials ?? []).map((value) => ({ kind: 'serial', value })),
  ];
}

/** Where a case's filter values are read from during one run (apply or dry run). */
export function filterTable(
  deps: Pick<HoldDeps, 'buckets'>,
  database: string,
  caseId: string,
  run: 'apply' | 'dry-run',
): IdentifierTable {
  return {
    database,
    name: filterTableName(caseId, run),
    bucket: deps.buckets.investigations,
    prefix: caseFiltersPrefix(caseId, run),
  };
}

/** The CTAS statement for a case (sql/holds/ocsp-extract.sql). */
export function extractSql(
  request: CaseRequest,
  database: string,
  bucket: string,
  filters: IdentifierTable,
): string {
  return renderSqlFile('holds/ocsp-extract.sql', {
    extract_table: table(database, extractTableName(request.caseId)),
    location: sql.string(`s3://${bucket}/${casePrefix(request.caseId)}`),
    source_table: table(database, glueTables.ocspRequests),
    filter_table: table(database, filters.name),
    scope: sql.fragment(scopePredicate(request)),
  }).text;
}

/** The dry-run count for a case (sql/holds/ocsp-count.sql). */
export function countSql(request: CaseRequest, database: string, filters: IdentifierTable): string {
  return renderSqlFile('holds/ocsp-count.sql', {
    source_table: table(database, glueTables.ocspRequests),
    filter_table: table(database, filters.name),
    scope: sql.fragment(scopePredicate(request)),
  }).text;
}

/** The Glue client filter tables need; OCSP cases cannot run without it. */
function glueOf(deps: HoldDeps) {
  if (!deps.glue) throw new Error('OCSP extracts need a Glue client (HoldDeps.glue)');
  return deps.glue;
}

/**
 * Runs `work` with the case's filter table in place, and removes the table
 * and every version of its object afterwards, whether `work` succeeded or not.
 */
async function withFilterTable<T>(
  deps: HoldDeps,
  request: CaseRequest,
  filters: IdentifierTable,
  work: () => Promise<T>,
): Promise<T> {
  const clients = { glue: glueOf(deps), s3: deps.s3 };
  await createIdentifierTable(clients, filters, filterRows(request.scope.filters));
  try {
    return await work();
  } finally {
    await dropIdentifierTable(clients, filters);
  }
}

/** Removes both runs' filter tables and objects of a case: at release, after a crashed apply. */
export async function dropFilterTables(deps: HoldDeps, caseId: string): Promise<void> {
  const db = deps.glueDatabase;
  // The release function has no Glue grant: a table a crash left names only the case and its prefix.
  if (db && deps.glue)
    for (const run of ['apply', 'dry-run'] as const)
      await dropIdentifierTable(
        { glue: deps.glue, s3: deps.s3 },
        filterTable(deps, db, caseId, run),
      );
  await deleteEveryVersion(deps.s3, deps.buckets.investigations, caseFiltersPrefix(caseId));
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
      `scope ends at ${request.scope.to}, in the future; an OCSP extract is a snapshot of existing records ` +
        '(OCSP has no standing holds): apply once the scope has ended, while its raw logs are still kept',
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

/**
 * Writes the case's extract through a table that is dropped right after
 * (the files stay), counts it and records the count on the case. A retry
 * starts over: earlier attempts' objects and table are removed first.
 */
async function writeExtract(
  deps: HoldDeps,
  runner: QueryRunner,
  request: CaseRequest,
  db: string,
): Promise<number> {
  const { caseId } = request;
  const run = (query: string) => runner.run(query, { correlationId: caseId });
  const extractTable = { extract_table: table(db, extractTableName(caseId)) };
  const filters = filterTable(deps, db, caseId, 'apply');
  await clearPrefix(deps, caseId);
  await run(renderSqlFile('holds/drop-extract-table.sql', extractTable).text);
  await withFilterTable(deps, request, filters, () =>
    run(extractSql(request, db, deps.buckets.investigations, filters)),
  );
  const counted = await run(renderSqlFile('holds/count-extract-table.sql', extractTable).text);
  await run(renderSqlFile('holds/drop-extract-table.sql', extractTable).text);
  const recordCount = Number(counted.rows[0]?.[0] ?? 0);
  await deps.registry.updateCase(caseId, ['applying'], 'applying', { recordCount });
  return recordCount;
}

export async function extractOcsp(deps: HoldDeps, event: ApplyEvent): Promise<HoldOutcome> {
  const request = event.case;
  const { caseId } = request;
  checkOcspRange(request, deps.now(), deps.ocspRawExpiryDays);
  const runner = deps.queryRunner();
  const db = deps.glueDatabase;
  if (!db) throw new Error('OCSP extracts need the Glue database (LOGVAULT_GLUE_DATABASE)');
  if (event.dryRun) {
    const filters = filterTable(deps, db, caseId, 'dry-run');
    const result = await withFilterTable(deps, request, filters, () =>
      runner.run(countSql(request, db, filters), { correlationId: caseId }),
    );
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
  const recordCount = opened.recordCount ?? (await writeExtract(deps, runner, request, db));
  const versions = await listVersions(deps.s3, deps.buckets.investigations, casePrefix(caseId));
  return finishApply(deps, request, await recordPending(deps, caseId, versions), { recordCount });
}

/** Lifts the holds on, then deletes, every version and delete marker under the case prefix. */
export async function deleteExtracts(
  deps: HoldDeps,
  caseId: string,
): Promise<{ deletedVersions: number; failures: KeyFailure[] }> {
  const bucket = deps.buckets.investigations;
  await dropFilterTables(deps, caseId);
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
