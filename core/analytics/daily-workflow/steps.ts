import { S3Client } from '@aws-sdk/client-s3';
import { emptyPrefix } from '../../s3/prefix';
import { SqlParam, renderSqlFile, sql } from '../../query/sql';
import {
  DailyAggregationTarget,
  aggregateCounts,
  aggregateLayout,
  aggregationJob,
  isFinalAt,
  rankingJob,
} from '../daily-aggregation';
import {
  PublicationResult,
  publicationSql,
  recordsAfterFinalOf,
  recordsAfterFinalSql,
  releaseFinalDay,
} from '../daily-publication';
import { PublicationParameters } from '../publication';
import { formatDay } from '../../time/days';
import { RandomSource } from '../publication/random-source';

/**
 * The steps of the daily job as a list the workflow walks one by one. Each
 * step does a short piece of work and names one query (`start`); Step
 * Functions waits for the query, never a function; `finish` reads its rows.
 * A step runs again from `start` when its query fails, so every `start` is
 * idempotent (a staging table is dropped first, a partition emptied first).
 */

export interface Rows {
  readonly rows: readonly (readonly (string | null)[])[];
}

/** What the steps learn, carried in the workflow's state (small: counts and days). */
export interface WorkflowFacts {
  /** Per aggregated day: certificates, requests and records without certificate counted, objects replaced. */
  readonly aggregates: Record<
    string,
    {
      certificates: number;
      requests: number;
      recordsWithoutCertificate: number;
      replacedObjects: number;
      final: boolean;
    }
  >;
  readonly publication?: PublicationResult;
  readonly recordsAfterFinal?: number;
}

export interface StepContext {
  readonly s3: S3Client;
  /** When the run was planned: every step judges finality at this instant. */
  readonly now: Date;
  readonly random?: RandomSource;
  readonly target: DailyAggregationTarget & {
    readonly aggregatesBucket: string;
    readonly parameters: PublicationParameters;
  };
  readonly facts: WorkflowFacts;
}

export interface StepAction {
  /** Short work before the query; returns the query and any facts learnt. */
  start(day: string, ctx: StepContext): Promise<{ sql: string; facts?: WorkflowFacts }>;
  /** Reads the finished query's rows into facts. */
  finish?(day: string, result: Rows, ctx: StepContext): Promise<WorkflowFacts>;
}

// Today is aggregated only when asked for (the plan refuses it otherwise), and only so far.
const staging = (day: string, ctx: StepContext) =>
  aggregationJob(day, ctx.now, { ...ctx.target, partialToday: day === formatDay(ctx.now) });
const dropStaging = (day: string, ctx: StepContext) =>
  renderSqlFile('jobs/drop-staging-table.sql', {
    staging_table: sql.identifier(staging(day, ctx).staging),
  }).text;

/** Empties `prefix` of the aggregates bucket, then renders the job's CTAS that writes it anew. */
async function ctasReplacing(
  ctx: StepContext,
  job: { file: string; staging: string; params: Record<string, SqlParam> },
  prefix: string,
): Promise<{ text: string; replacedObjects: number }> {
  const replacedObjects = await emptyPrefix(ctx.s3, ctx.target.aggregatesBucket, prefix);
  const location = sql.string(`s3://${ctx.target.aggregatesBucket}/${prefix}`);
  const params = { staging_table: sql.identifier(job.staging), ...job.params, location };
  return { text: renderSqlFile(job.file, params).text, replacedObjects };
}

const withAggregate = (
  facts: WorkflowFacts,
  day: string,
  values: Partial<WorkflowFacts['aggregates'][string]>,
): WorkflowFacts => ({
  ...facts,
  aggregates: {
    ...facts.aggregates,
    [day]: {
      ...(facts.aggregates[day] ?? {
        certificates: 0,
        requests: 0,
        recordsWithoutCertificate: 0,
        replacedObjects: 0,
        final: false,
      }),
      ...values,
    },
  },
});

/** Every step by name; a new step is one entry here and one line in dailyJobSteps. */
export const stepActions = {
  /** A run that died half-way may have left its staging table behind. */
  'aggregate:drop-stale-staging': { start: async (day, ctx) => ({ sql: dropStaging(day, ctx) }) },
  /** Empties the day's partition, then writes it anew through the staging table (CTAS). */
  'aggregate:load': {
    async start(day, ctx) {
      const { text, replacedObjects } = await ctasReplacing(
        ctx,
        staging(day, ctx),
        aggregateLayout.aggregate(day),
      );
      return { sql: text, facts: withAggregate(ctx.facts, day, { replacedObjects }) };
    },
  },
  'aggregate:count': {
    start: async (day, ctx) => ({
      sql: renderSqlFile(staging(day, ctx).count, {
        staging_table: sql.identifier(staging(day, ctx).staging),
      }).text,
    }),
    async finish(day, { rows }, ctx) {
      return withAggregate(ctx.facts, day, {
        ...aggregateCounts(rows[0] ?? []),
        final: isFinalAt(day, ctx.now, ctx.target),
      });
    },
  },
  'aggregate:drop-staging': { start: async (day, ctx) => ({ sql: dropStaging(day, ctx) }) },
  /** The day's ranking from its aggregate, through the same staging table name once dropped. */
  'rank:load': {
    async start(day, ctx) {
      const { text } = await ctasReplacing(
        ctx,
        rankingJob(day, ctx.target),
        aggregateLayout.rank(day),
      );
      return { sql: text };
    },
  },
  /** Bounded counts on the engine; noise and the one write in finish. */
  publish: {
    start: async (day, ctx) => ({ sql: publicationSql(day, ctx.now, ctx.target.parameters) }),
    async finish(day, { rows }, ctx) {
      const publication = await releaseFinalDay(day, rows, ctx, ctx.target);
      return { ...ctx.facts, publication };
    },
  },
  'records-after-final': {
    start: async (day, ctx) => ({
      sql: recordsAfterFinalSql(day, ctx.target.parameters.latenessHours),
    }),
    finish: async (_day, { rows }, ctx) => ({
      ...ctx.facts,
      recordsAfterFinal: recordsAfterFinalOf(rows),
    }),
  },
} satisfies Record<string, StepAction>;

export type StepName = keyof typeof stepActions;

export interface JobStep {
  readonly name: StepName;
  readonly day: string;
}

const aggregation = (day: string): JobStep[] => [
  { name: 'aggregate:drop-stale-staging', day },
  { name: 'aggregate:load', day },
  { name: 'aggregate:count', day },
  { name: 'aggregate:drop-staging', day },
  { name: 'rank:load', day },
  { name: 'aggregate:drop-staging', day },
];

/**
 * The daily job, one step a line: the final day aggregated for good,
 * published once and scanned for records after final; the provisional day
 * (yesterday when scheduled) aggregated only. A plan has at least one of them.
 */
export function dailyJobSteps(plan: { finalDay?: string; provisionalDay?: string }): JobStep[] {
  const final = plan.finalDay;
  return [
    ...(final === undefined
      ? []
      : [
          ...aggregation(final),
          { name: 'publish', day: final } as const,
          { name: 'records-after-final', day: final } as const,
        ]),
    ...(plan.provisionalDay === undefined ? [] : aggregation(plan.provisionalDay)),
  ];
}
