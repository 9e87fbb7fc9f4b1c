import { randomBytes } from 'node:crypto';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { QueryRunner } from '../query/runner';
import { ipFilterSchema } from '../ip';
import { reportSubjectPrefix, subjectTableName } from '../naming';
import {
  IdentifierTable,
  createIdentifierTable,
  dropIdentifierTable,
} from '../query/identifier-table';
import { acmeEventRecord } from '../ingest/schemas/acme-event';
import { ocspRequestRecord } from '../ingest/schemas/ocsp-request';
import { columnsOf } from '../ingest/schemas/columns';
import { parseDay } from '../time/days';
import { partitionRange } from '../time/finality';
import { renderSqlFile, sql } from '../query/sql';

/**
 * The personal-data report for an access request (GDPR art. 15 / 20): every
 * archived ACME record about an account id or an IP, and every OCSP request
 * from the IP that the raw OCSP bucket still keeps, as one self-describing
 * JSON document (format in docs/runbooks/personal-data-report.md).
 */

export const PERSONAL_DATA_FORMAT = 'logvault.personal-data-report/v2';

export const personalDataSubject = z
  .strictObject({
    accountId: z.string().min(1).max(128).optional(),
    /** An address or a network, canonical (core/ip): every spelling of it finds the same records. */
    ip: ipFilterSchema.optional(),
  })
  .refine((s) => s.accountId !== undefined || s.ip !== undefined, {
    message: 'give an account id, an IP, or both',
  });
export type PersonalDataSubject = z.infer<typeof personalDataSubject>;

export interface PersonalDataReport {
  readonly format: typeof PERSONAL_DATA_FORMAT;
  readonly generatedAt: string;
  readonly subject: { readonly accountId: string | null; readonly ip: string | null };
  /** Days searched, inclusive, by archive arrival (UTC). */
  readonly period: { readonly from: string; readonly to: string };
  readonly source: { readonly dataset: 'acme_events'; readonly description: string };
  /** Every field of a record, with its type and meaning, so the file explains itself. */
  readonly fields: { name: string; type: string; description: string }[];
  readonly recordCount: number;
  readonly records: { readonly sourceObject: string; readonly event: StoredAcmeEvent }[];
  /**
   * OCSP requests from the subject's IP still in the raw OCSP bucket (kept
   * under seven days); empty for a subject given by account id alone.
   */
  readonly ocsp: {
    readonly source: { readonly dataset: 'ocsp_requests'; readonly description: string };
    readonly fields: { name: string; type: string; description: string }[];
    readonly recordCount: number;
    readonly records: { readonly sourceObject: string; readonly request: StoredOcspRequest }[];
  };
}

type Fields = ReturnType<typeof columnsOf>;
const fields = columnsOf(acmeEventRecord);
const ocspFields = columnsOf(ocspRequestRecord);
/** Records stored before `line_id` existed have none; they are still the subject's data. */
const storedEvent = acmeEventRecord.extend({ line_id: acmeEventRecord.shape.line_id.nullable() });
type StoredAcmeEvent = z.infer<typeof storedEvent>;
const storedRequest = z
  .strictObject(ocspRequestRecord.shape)
  .extend({ line_id: ocspRequestRecord.shape.line_id.nullable() });
type StoredOcspRequest = z.infer<typeof storedRequest>;

const described = (columns: Fields) =>
  columns.map(({ name, type, comment }) => ({ name, type, description: comment }));

/** One result row (strings from the engine) as the typed fields of a record. */
function typedRow(columns: string[], row: (string | null)[], schemaFields: Fields) {
  const value = (name: string) => row[columns.indexOf(name)] ?? null;
  const record = Object.fromEntries(
    schemaFields.map(({ name, type }) => {
      const raw = value(name);
      if (raw === null) return [name, null];
      if (type === 'bigint') return [name, Number(raw)];
      if (type === 'boolean') return [name, raw.toLowerCase() === 'true'];
      if (type.startsWith('array<')) return [name, JSON.parse(raw) as unknown];
      return [name, raw];
    }),
  );
  return { sourceObject: value('source_object') ?? '', record };
}

/** Turns one ACME result row back into a typed, validated event. */
function toEvent(columns: string[], row: (string | null)[]) {
  const { sourceObject, record } = typedRow(columns, row, fields);
  return { sourceObject, event: storedEvent.parse(record) };
}

/** Turns one OCSP result row back into a typed, validated request. */
function toRequest(columns: string[], row: (string | null)[]) {
  const { sourceObject, record } = typedRow(columns, row, ocspFields);
  return { sourceObject, request: storedRequest.parse(record) };
}

/** Where a report reads its subject from while its query runs: nothing else is in either. */
export interface SubjectStore {
  readonly glue: GlueClient;
  readonly s3: S3Client;
  /** The query-results bucket: the only bucket whoever may run queries can already write. */
  readonly bucket: string;
  /** The stage's Glue database. */
  readonly database: string;
}

/** A network of one address is shown as the address, as the records spell it. */
const shownIp = (network: string) => network.replace(/\/(32|128)$/, '');

/** The subject's identifiers as rows of its table: never SQL literals. */
const subjectRows = (subject: PersonalDataSubject) => [
  ...(subject.accountId !== undefined ? [{ kind: 'account', value: subject.accountId }] : []),
  ...(subject.ip !== undefined ? [{ kind: 'network', value: subject.ip }] : []),
];

/**
 * Runs the report query for `subject` over [from, to] and builds the
 * document. The subject reaches the engine through a table of its own,
 * removed (table and every object version) when the query is done, so
 * Athena's query history and CloudTrail keep a statement that names no one.
 */
export async function personalDataReport(
  runner: QueryRunner,
  store: SubjectStore,
  subject: z.input<typeof personalDataSubject>,
  period: { from: string; to: string },
  now: Date = new Date(),
): Promise<PersonalDataReport> {
  const checked = personalDataSubject.parse(subject);
  if (parseDay(period.from) > parseDay(period.to))
    throw new Error(`period starts after it ends: ${period.from} > ${period.to}`);
  const runId = randomBytes(8).toString('hex');
  const table: IdentifierTable = {
    database: store.database,
    name: subjectTableName(runId),
    bucket: store.bucket,
    prefix: reportSubjectPrefix(runId),
  };
  const params = {
    first_hour: sql.string(partitionRange(period.from).first),
    last_hour: sql.string(partitionRange(period.to).last),
    subject_table: sql.identifier(`${store.database}.${table.name}`),
  };
  const run = (file: string) =>
    runner.run(renderSqlFile(file, params).text, { correlationId: 'personal-data-report' });
  await createIdentifierTable(store, table, subjectRows(checked));
  let acme, ocsp;
  try {
    acme = await run('reports/personal-data.sql');
    ocsp = checked.ip === undefined ? undefined : await run('reports/personal-data-ocsp.sql');
  } finally {
    await dropIdentifierTable(store, table);
  }
  const acmeColumns = acme.columns.map((c) => c.name);
  const records = acme.rows.map((row) => toEvent(acmeColumns, row));
  const ocspColumns = (ocsp?.columns ?? []).map((c) => c.name);
  const requests = (ocsp?.rows ?? []).map((row) => toRequest(ocspColumns, row));
  return {
    format: PERSONAL_DATA_FORMAT,
    generatedAt: now.toISOString(),
    subject: {
      accountId: checked.accountId ?? null,
      ip: checked.ip === undefined ? null : shownIp(checked.ip),
    },
    period,
    source: {
      dataset: 'acme_events',
      description: 'ACME / subscriber event log, from the Object Lock archive',
    },
    fields: described(fields),
    recordCount: records.length,
    records,
    ocsp: {
      source: {
        dataset: 'ocsp_requests',
        description: 'OCSP request log, from the raw OCSP bucket (every copy gone within 7 days)',
      },
      fields: described(ocspFields),
      recordCount: requests.length,
      records: requests,
    },
  };
}
