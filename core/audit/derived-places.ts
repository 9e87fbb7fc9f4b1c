import { placeholdersOf, readSqlFile } from '../query/sql';
import type { CfnTemplate } from '../template/types';
import type { AuditRow } from './stage-audit';

/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON */

/**
 * Places an investigation or a personal-data report leaves traces in besides
 * the data itself (issue 17): the registry, the audit trail, logs, query
 * history and results, S3 Batch Operations files, CloudTrail. Each row says
 * what keeps the people a closed case was about out of that place, and what
 * shows it; the proof is test/holds/forgetting.integration.test.ts.
 */

const PROMISE = 'Nothing says whom a closed case or a report was about';

/** Placeholders the statements that filter on people may take: none of them is a value about someone. */
const IDENTIFIER_FREE_SQL: Record<string, readonly string[]> = {
  'holds/ocsp-extract.sql': ['extract_table', 'location', 'source_table', 'filter_table', 'scope'],
  'holds/ocsp-count.sql': ['source_table', 'filter_table', 'scope'],
  'holds/ocsp-scope.sql': ['first_hour', 'last_hour', 'from', 'to'],
  'reports/personal-data.sql': ['first_hour', 'last_hour', 'subject_table'],
};

function sqlProblems(): string[] {
  return Object.entries(IDENTIFIER_FREE_SQL).flatMap(([file, allowed]) =>
    [...placeholdersOf(readSqlFile(file))]
      .filter((name) => !allowed.includes(name))
      .map((name) => `sql/${file} takes {{${name}}} as a literal`),
  );
}

const resourcesOf = (templates: Record<string, CfnTemplate>, type: string) =>
  Object.values(templates).flatMap((t) =>
    Object.entries(t.Resources ?? {})
      .filter(([, r]) => r.Type === type)
      .map(([id, r]) => ({ id, p: (r.Properties ?? {}) as any })),
  );

/** The hold functions that open or release cases must seal filters under a case key. */
function sealingProblems(templates: Record<string, CfnTemplate>): string[] {
  const holdFunctions = resourcesOf(templates, 'AWS::Lambda::Function').filter(
    (f) => f.p.Environment?.Variables?.HOLD_CONCURRENCY !== undefined,
  );
  if (holdFunctions.length === 0) return ['no hold function found'];
  return holdFunctions
    .filter((f) => f.p.Environment.Variables.HOLD_CASE_KEY_ID === undefined)
    .map((f) => `${f.id}: no HOLD_CASE_KEY_ID, case filters would be stored in clear`);
}

function logProblems(templates: Record<string, CfnTemplate>): string[] {
  return resourcesOf(templates, 'AWS::Logs::LogGroup')
    .filter((g) => g.p.RetentionInDays === undefined)
    .map((g) => `${g.id}: log group never expires`);
}

function resultsExpiry(templates: Record<string, CfnTemplate>): [string[], string] {
  const bucket = resourcesOf(templates, 'AWS::S3::Bucket').find((b) =>
    b.id.startsWith('QueryResults'),
  );
  const days = (bucket?.p.LifecycleConfiguration?.Rules ?? [])
    .map((r: any) => r.ExpirationInDays)
    .filter((d: unknown) => typeof d === 'number');
  if (!bucket || days.length === 0) return [['query-results bucket has no expiry'], ''];
  return [
    [],
    `${bucket.id.replace(/[0-9A-F]{8}$/, '')} expires results after ${Math.min(...days)} d`,
  ];
}

const row = (mechanism: string, problems: string[], evidence: string, place: string): AuditRow => ({
  promise: `${PROMISE}: ${place}`,
  mechanism,
  evidence: problems.length > 0 ? problems.join('; ') : evidence,
  verdict: problems.length > 0 ? 'FAIL' : 'PASS',
});

/** One audit row per derived place, judged on the stage's templates and the SQL it runs. */
export function derivedPlaceRows(templates: Record<string, CfnTemplate>): AuditRow[] {
  const sealing = sealingProblems(templates);
  const sealed = 'hold-apply and hold-release seal filters under HOLD_CASE_KEY_ID';
  const [results, resultsEvidence] = resultsExpiry(templates);
  const trails = resourcesOf(templates, 'AWS::CloudTrail::Trail');
  const sql = sqlProblems();
  return [
    row(
      'case filters sealed under a per-case data key (KMS); the wrapped key is deleted at release (PITR keeps it 35 days)',
      sealing,
      sealed,
      'hold registry',
    ),
    row(
      'append-only; apply-started keeps the sealed filters only, unreadable once the case key is gone',
      sealing,
      sealed,
      'hold audit trail',
    ),
    row(
      'handlers log case ids, counts and outcomes, never filters or record IPs; refusals redact addresses',
      logProblems(templates),
      'every log group expires',
      'function logs',
    ),
    row(
      'the CLI prints to the operator only; refusals redact addresses (core/holds/identifiers.ts)',
      [],
      'test/holds/forgetting.integration.test.ts reads every line the run wrote',
      'CLI output',
    ),
    row(
      'Athena keeps SQL text 45 days and it cannot be deleted: identifiers reach the engine as data (core/query/identifier-table.ts), never as SQL text',
      sql,
      'extract, count and report SQL take no identifier',
      'query history',
    ),
    row(
      'report and count results expire with the query-results bucket; extracts live under cases/ until release',
      results,
      resultsEvidence,
      'query results',
    ),
    row(
      'hold-jobs/<caseId>/ manifests and reports list archive keys and version ids, no filter values',
      [],
      'core/holds/batch-manifest.ts writes bucket, key, version id only',
      'S3 Batch Operations manifests and reports',
    ),
    row(
      'CloudTrail records StartQueryExecution with its query string, which names no one (query history row)',
      [],
      trails.length > 0
        ? `trail ${trails.map((t) => t.id).join(', ')}`
        : 'the stack defines no trail; an account trail sees only identifier-free SQL',
      'CloudTrail',
    ),
  ];
}
