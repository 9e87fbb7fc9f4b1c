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
import { columnsOf } from '../ingest/schemas/columns';
import { parseDay } from '../time/days';
import { partitionRange } from '../time/finality';
import { renderSqlFile, sql } from '../query/sql';

/**
 * The personal-data report for an access request (GDPR art. 15 / 20): every
 * archived ACME record about an account id or an IP, as one self-describing
 * JSON document (format in docs/runbooks/personal-data-report.md).
 */

export const PERSONAL_DATA_FORMAT = 'logvault.personal-data-report/v1';

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
}

const fields = columnsOf(acmeEventRecord);
/** Events stored before `line_id` existed have none; they are still the subject's data. */
const storedEvent = acmeEventRecord.extend({ line_id: acmeEventRecord.shape.line_id.nullable() });
type StoredAcmeEvent = z.infer<typeof storedEvent>;

/** Turns one result row (strings from the engine) back into a typed, validated record. */
function toRecord(columns: string[], row: (string | null)[]) {
  const value = (name: string) => row[columns.indexOf(name)] ?? null;
  const event = Object.fromEntries(
    fields.map(({ name, type }) => {
      const raw = value(name);
      if (raw === null) return [name, null];
      if (type === 'bigint') return [name, Number(raw)];
      if (type === 'boolean') return [name, raw.toLowerCase() === 'true'];
      if (type.startsWith('array<')) return [name, JSON.parse(raw) as unknown];
      return [name, raw];
    }),
  );
  return { sourceObject: value('source_object') ?? '', event: storedEvent.parse(event) };
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
  const query = renderSqlFile('reports/personal-data.sql', {
    first_hour: sql.string(partitionRange(period.from).first),
    last_hour: sql.string(partitionRange(period.to).last),
    subject_table: sql.identifier(`${store.database}.${table.name}`),
  });
  await createIdentifierTable(store, table, subjectRows(checked));
  let result;
  try {
    result = await runner.run(query.text, { correlationId: 'personal-data-report' });
  } finally {
    await dropIdentifierTable(store, table);
  }
  const columns = result.columns.map((c) => c.name);
  const records = result.rows.map((row) => toRecord(columns, row));
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
    fields: fields.map(({ name, type, comment }) => ({ name, type, description: comment })),
    recordCount: records.length,
    records,
  };
}
