import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import {
  DailyJobResult,
  finalDayMetrics,
  finaliseDay,
  runDailyJob,
} from '../../core/analytics/daily-job';
import { queryRunnerFromEnv } from '../../core/query/from-env';
import { SubmittingQueryRunner } from '../../core/query/runner';
import {
  WorkflowEvent,
  runWorkflowPhase,
  workflowEventSchema,
} from '../../core/analytics/daily-workflow/phases';
import type { WorkflowState } from '../../core/analytics/daily-workflow/workflow';
import { OutsideRawWindowError } from '../../core/time/days';
import { DayNotFinalError } from '../../core/analytics/publication';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

/**
 * Scheduled daily (no day: the latest final day is finalised and published,
 * yesterday aggregated provisionally) or invoked with `{ "day": "YYYY-MM-DD" }`
 * to finalise a final day still inside the raw window.
 */
const aggregateEvent = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

const s3 = new S3Client({});

/** A phase of the daily workflow (core/analytics/daily-workflow), or a run of the whole job. */
export async function handler(event: WorkflowEvent): Promise<DailyJobResult | WorkflowState>;
export async function handler(event?: { day?: string } | null): Promise<DailyJobResult>;
export async function handler(event: unknown): Promise<DailyJobResult | WorkflowState> {
  if (isWorkflowEvent(event)) return workflowPhase(event);
  const env = environmentOf('aggregate-daily');
  const requested = aggregateEvent.parse(event ?? {}).day;
  logger.setCorrelationId(`aggregate-${requested ?? 'scheduled'}`);
  const deps = { runner: queryRunnerFromEnv(), s3, now: new Date() };
  const target = {
    aggregatesBucket: env.AGGREGATES_BUCKET,
    rawLogExpiryDays: env.RAW_LOG_EXPIRY_DAYS,
    parameters: env.PUBLICATION_PARAMETERS,
  };
  try {
    const result = requested
      ? { final: await finaliseDay(requested, deps, target) }
      : await runDailyJob(deps, target);
    publishMetrics(env.LOGVAULT_STAGE, finalDayMetrics(result.final));
    logger.info('daily job done', { ...result });
    return result;
  } catch (error) {
    if (error instanceof OutsideRawWindowError || error instanceof DayNotFinalError) throw error;
    // Engine messages can quote raw records (client IPs) and this log group is
    // operational: log and rethrow only the kind of failure. The query history
    // of the workgroup keeps the full message.
    const kind = error instanceof Error ? error.name : typeof error;
    logger.error('daily job failed', { day: requested, kind });
    // eslint-disable-next-line preserve-caught-error -- the cause is what must not reach the log
    throw new Error(`daily job failed (${kind}); see the workgroup's query history`);
  }
}

const isWorkflowEvent = (event: unknown) =>
  typeof event === 'object' && event !== null && 'phase' in event;

/**
 * One phase of the daily workflow (core/analytics/daily-workflow): returns at
 * once; Step Functions polls the query in between. The report phase emits
 * the metrics the missed-day alarm reads.
 */
async function workflowPhase(event: unknown): Promise<DailyJobResult | WorkflowState> {
  const env = environmentOf('aggregate-daily');
  const parsed = workflowEventSchema.parse(event);
  logger.setCorrelationId(`aggregate-workflow-${parsed.phase}`);
  const runner = queryRunnerFromEnv();
  if (!('submit' in runner)) throw new Error('the daily workflow needs Athena (ATHENA_WORKGROUP)');
  const target = {
    aggregatesBucket: env.AGGREGATES_BUCKET,
    rawLogExpiryDays: env.RAW_LOG_EXPIRY_DAYS,
    parameters: env.PUBLICATION_PARAMETERS,
  };
  const result = await runWorkflowPhase(
    parsed,
    { runner: runner as SubmittingQueryRunner, s3, now: new Date() },
    target,
  );
  if (parsed.phase === 'report') {
    const { final } = result as DailyJobResult;
    publishMetrics(env.LOGVAULT_STAGE, finalDayMetrics(final));
    logger.info('daily workflow done', { ...result });
  } else
    logger.info('daily workflow phase', {
      phase: parsed.phase,
      step: (result as WorkflowState).index,
    });
  return result;
}
