import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { SqlText, renderSqlFile, sql } from '../query/sql';
import type { SubmittingQueryRunner } from '../query/runner';
import {
  ApplyEvent,
  CaseRecord,
  CaseRequest,
  ExtractQueryRef,
  RejectedRequest,
  ScopeFilters,
} from './case';
import {
  caseFiltersPrefix,
  casePrefix,
  extractAttemptPrefix,
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
import { alreadyApplied, auditStep, finishApply, openCase, recordPending } from './steps';
import {
  EXTRACT_INLINE_WAIT_MS,
  extractFailed,
  extractPending,
  extractRunning,
  nextAttempt,
  nextExtractStep,
  waitForQuery,
} from './ocsp-attempt';

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

/** The CTAS statement for one attempt of a case's extract (sql/holds/ocsp-extract.sql). */
export function extractSql(
  request: CaseRequest,
  database: string,
  location: { bucket: string; prefix: string },
  filters: IdentifierTable,
): string {
  return renderSqlFile('holds/ocsp-extract.sql', {
    extract_table: table(database, extractTableName(request.caseId)),
    location: sql.string(`s3://${location.bucket}/${location.prefix}`),
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

/** Deletes every version under the case prefix outside `keep` (a superseded or raced attempt's files). */
async function deleteOtherAttempts(deps: HoldDeps, caseId: string, keep: string): Promise<void> {
  const all = await listAllVersionIds(deps.s3, deps.buckets.investigations, casePrefix(caseId));
  await mapBounded(
    all.filter((v) => !v.key.startsWith(keep)),
    deps.concurrency,
    (v) =>
      deps.s3.send(
        new DeleteObjectCommand({
          Bucket: deps.buckets.investigations,
          Key: v.key,
          VersionId: v.versionId,
        }),
      ),
  );
}

interface ExtractContext {
  readonly deps: HoldDeps;
  readonly runner: SubmittingQueryRunner;
  readonly request: CaseRequest;
  readonly db: string;
}

const runIn = (ctx: ExtractContext, file: string) =>
  ctx.runner.run(
    renderSqlFile(file, { extract_table: table(ctx.db, extractTableName(ctx.request.caseId)) })
      .text,
    { correlationId: ctx.request.caseId },
  );

/**
 * Stops the previous attempt's query and deletes its files, then starts a new
 * attempt's CTAS under a prefix of its own, with the filter table in place
 * until it is collected. Undefined when another apply recorded its query first
 * (this one's query is stopped; its files are deleted when the winner's is collected).
 */
async function startAttempt(
  ctx: ExtractContext,
  previous: ExtractQueryRef | undefined,
): Promise<ExtractQueryRef | undefined> {
  const { deps, runner, request, db } = ctx;
  const { caseId } = request;
  if (previous) {
    await runner.stop(previous.queryId);
    await deleteEveryVersion(deps.s3, deps.buckets.investigations, previous.prefix);
  }
  const { attempt, prefix } = nextAttempt(previous, (n, token) =>
    extractAttemptPrefix(caseId, n, token),
  );
  await runIn(ctx, 'holds/drop-extract-table.sql');
  const filters = filterTable(deps, db, caseId, 'apply');
  const clients = { glue: glueOf(deps), s3: deps.s3 };
  await createIdentifierTable(clients, filters, filterRows(request.scope.filters));
  const location = { bucket: deps.buckets.investigations, prefix };
  const queryId = await runner.submit(extractSql(request, db, location, filters), {
    correlationId: caseId,
  });
  const query = { queryId, attempt, prefix, startedAt: deps.now().toISOString() };
  if (!(await deps.registry.recordExtractQuery(caseId, previous, query))) {
    await runner.stop(queryId);
    return undefined;
  }
  await auditStep(deps, caseId, `extract-started:${queryId}`, request.requester, {
    queryId,
    attempt,
    location: `s3://${location.bucket}/${prefix}`,
  });
  return query;
}

/** Counts the succeeded attempt's extract, drops its tables and every other attempt's files. */
async function collectAttempt(ctx: ExtractContext, query: ExtractQueryRef): Promise<number> {
  const { deps, request, db } = ctx;
  const counted = await runIn(ctx, 'holds/count-extract-table.sql');
  await runIn(ctx, 'holds/drop-extract-table.sql');
  const clients = { glue: glueOf(deps), s3: deps.s3 };
  await dropIdentifierTable(clients, filterTable(deps, db, request.caseId, 'apply'));
  await deleteOtherAttempts(deps, request.caseId, query.prefix);
  const recordCount = Number(counted.rows[0]?.[0] ?? 0);
  await deps.registry.updateCase(request.caseId, ['applying'], 'applying', { recordCount });
  return recordCount;
}

/** The dry run: a count through its own filter table, nothing written (no query outlives it that matters). */
async function countOcsp(ctx: ExtractContext): Promise<HoldOutcome> {
  const { deps, runner, request, db } = ctx;
  const filters = filterTable(deps, db, request.caseId, 'dry-run');
  const result = await withFilterTable(deps, request, filters, () =>
    runner.run(countSql(request, db, filters), { correlationId: request.caseId }),
  );
  return {
    caseId: request.caseId,
    result: 'dry-run',
    objectCount: 0,
    bytes: 0,
    recordCount: Number(result.rows[0]?.[0] ?? 0),
    processed: 0,
    failures: [],
    message: 'an OCSP dry run counts matching records; extract objects exist only after apply',
  };
}

/**
 * Applies an OCSP case (core/holds/ocsp-attempt.ts): starts or restarts the
 * extract's CTAS, waits for it a bounded while, collects it once it has
 * succeeded and holds exactly its attempt's files. Each call moves the case on.
 */
export async function extractOcsp(deps: HoldDeps, event: ApplyEvent): Promise<HoldOutcome> {
  const request = event.case;
  checkOcspRange(request, deps.now(), deps.ocspRawExpiryDays);
  const db = deps.glueDatabase;
  if (!db) throw new Error('OCSP extracts need the Glue database (LOGVAULT_GLUE_DATABASE)');
  const ctx: ExtractContext = { deps, runner: deps.queryRunner(), request, db };
  if (event.dryRun) return countOcsp(ctx);
  const opened = await openCase(deps, request);
  if (opened.status === 'active') return alreadyApplied(opened);
  let record: CaseRecord = opened;
  let startedHere = false;
  const limit = Math.min(deps.deadline ?? Infinity, Date.now() + EXTRACT_INLINE_WAIT_MS);
  for (;;) {
    const query = record.extractQuery;
    const status =
      query && record.recordCount === undefined
        ? await waitForQuery(() => ctx.runner.status(query.queryId), limit)
        : undefined;
    const step = nextExtractStep(record, status?.state);
    if (step === 'wait') return extractRunning(request.caseId, query!, status!.state, deps.now());
    if (step === 'restart' && startedHere) return extractFailed(request.caseId, query!, status!);
    if (step === 'start' || step === 'restart') {
      const started = await startAttempt(ctx, query);
      if (!started) return alreadyApplying(request.caseId);
      record = { ...record, extractQuery: started };
      startedHere = true;
    } else if (step === 'collect')
      record = { ...record, recordCount: await collectAttempt(ctx, query!) };
    else return holdExtract(deps, request, record);
  }
}

/** Holds the collected attempt's files (a case collected before attempts existed: the whole case prefix). */
async function holdExtract(
  deps: HoldDeps,
  request: CaseRequest,
  record: CaseRecord,
): Promise<HoldOutcome> {
  const prefix = record.extractQuery?.prefix ?? casePrefix(request.caseId);
  const versions = await listVersions(deps.s3, deps.buckets.investigations, prefix);
  return finishApply(deps, request, await recordPending(deps, request.caseId, versions), {
    recordCount: record.recordCount,
  });
}

const alreadyApplying = (caseId: string): HoldOutcome =>
  extractPending(
    caseId,
    `another apply of ${caseId} started its extract query first; rerun to follow that one`,
    5,
  );

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
