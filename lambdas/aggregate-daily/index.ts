import { S3Client } from '@aws-sdk/client-s3';
import { finalDayMetrics } from '../../core/analytics/daily-job';
import { queryRunnerFromEnv } from '../../core/query/from-env';
import { QueryRunner, SubmittingQueryRunner } from '../../core/query/runner';
import { runWorkflowPhase, workflowEventSchema } from '../../core/analytics/daily-workflow/phases';
import type {
  WorkflowDeps,
  WorkflowResult,
  WorkflowState,
} from '../../core/analytics/daily-workflow/workflow';
import { stateMachineName } from '../../core/naming';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

const s3 = new S3Client({});

const submits = (runner: QueryRunner): runner is SubmittingQueryRunner => 'submit' in runner;

/**
 * One phase of the daily workflow (core/analytics/daily-workflow), the only
 * way the daily job runs: each phase returns at once and Step Functions, not
 * this function, waits for Athena. A day is backfilled by starting an
 * execution with `{ "day": "YYYY-MM-DD" }`.
 */
export const handler = (event: unknown): Promise<WorkflowResult | WorkflowState> =>
  runPhase(event, { runner: queryRunnerFromEnv(), s3, now: new Date() });

/** The handler with its engine and clock given: the workflow tests run it on Trino. */
export async function runPhase(
  event: unknown,
  deps: Omit<WorkflowDeps, 'runner'> & { readonly runner: QueryRunner; readonly now: Date },
): Promise<WorkflowResult | WorkflowState> {
  const env = environmentOf('aggregate-daily');
  if (typeof event !== 'object' || event === null || !('phase' in event))
    throw new Error(
      `aggregate-daily runs only as a phase of the state machine ` +
        `${stateMachineName(env.LOGVAULT_STAGE, 'daily-job')}: start an execution of it ` +
        `(input {"day": "YYYY-MM-DD"} to finalise one day) instead of invoking the function`,
    );
  const parsed = workflowEventSchema.parse(event);
  const { runner } = deps;
  if (!submits(runner)) throw new Error('the daily workflow needs Athena (ATHENA_WORKGROUP)');
  logger.setCorrelationId(`aggregate-workflow-${parsed.phase}`);
  const target = {
    aggregatesBucket: env.AGGREGATES_BUCKET,
    rawLogExpiryDays: env.RAW_LOG_EXPIRY_DAYS,
    parameters: env.PUBLICATION_PARAMETERS,
  };
  const result = await runWorkflowPhase(parsed, { ...deps, runner }, target);
  if (parsed.phase === 'report') {
    const { final } = result as WorkflowResult;
    // A provisional day asked for by hand is no day's final run: the missed-day alarm reads these.
    if (final !== undefined) publishMetrics(env.LOGVAULT_STAGE, finalDayMetrics(final));
    logger.info('daily workflow done', { ...result });
  } else
    logger.info('daily workflow phase', {
      phase: parsed.phase,
      step: (result as WorkflowState).index,
    });
  return result;
}
