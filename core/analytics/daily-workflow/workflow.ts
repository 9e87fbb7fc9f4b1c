import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { SubmittingQueryRunner } from '../../query/runner';
import { addDays, formatDay } from '../../time/days';
import { isFinal, latestFinalDay } from '../../time/finality';
import { DailyAggregationResult, aggregateLayout, aggregationJob } from '../daily-aggregation';
import { DailyJobResult, DailyJobTarget, FinalDayResult } from '../daily-job';
import { RandomSource } from '../publication/random-source';
import {
  JobStep,
  StepAction,
  StepContext,
  StepName,
  WorkflowFacts,
  dailyJobSteps,
  stepActions,
} from './steps';

/**
 * The daily job as a workflow (definition.ts): `plan` lists the steps,
 * `start` does a step's short work and submits its query, Step Functions
 * polls the query, `finish` reads its rows and moves on, `report` sums up.
 * Each phase is one short Lambda invocation; the state between them is the
 * JSON below. A step whose query fails runs again from `start`, up to
 * MAX_STEP_ATTEMPTS times; then the execution fails and, with no day
 * aggregated, the missed-day alarm fires.
 */

export const MAX_STEP_ATTEMPTS = 3;

const stepSchema = z.object({
  name: z.enum(Object.keys(stepActions) as [StepName, ...StepName[]]),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export const workflowStateSchema = z.object({
  /** When the run was planned (ISO 8601): every step judges finality at this instant. */
  now: z.string().datetime(),
  steps: z.array(stepSchema).min(1),
  index: z.number().int().min(0),
  attempts: z.number().int().min(0),
  facts: z.object({
    aggregates: z.record(
      z.string(),
      z.object({
        certificates: z.number(),
        requests: z.number(),
        recordsWithoutCertificate: z.number(),
        replacedObjects: z.number(),
        final: z.boolean(),
      }),
    ),
    publication: z.any().optional(),
    recordsAfterFinal: z.number().optional(),
  }),
  queryId: z.string().optional(),
  /** Written by the workflow's poll: Athena's QueryExecution.Status.State. */
  query: z.object({ state: z.string() }).optional(),
  done: z.boolean(),
});
export type WorkflowState = z.infer<typeof workflowStateSchema>;

export interface WorkflowDeps {
  readonly runner: SubmittingQueryRunner;
  readonly s3: S3Client;
  readonly random?: RandomSource;
}

/** A step's query failed MAX_STEP_ATTEMPTS times. */
export class StepFailedError extends Error {
  constructor(step: JobStep, state: string | undefined, queryId: string | undefined) {
    super(
      `step ${step.name} of ${step.day} failed ${MAX_STEP_ATTEMPTS} times; last query ${queryId} ${state}`,
    );
    this.name = 'StepFailedError';
  }
}

/**
 * How old a scheduled start may be: EventBridge Scheduler gives up on a
 * target after at most 24 hours (MaximumEventAgeInSeconds, 86400 here).
 */
export const MAX_SCHEDULED_AGE_HOURS = 24;

/**
 * A scheduled time still to come (it would finalise a day before it is
 * final) or older than a scheduler retry can be (its days are judged against
 * a raw window that has moved on).
 */
export class ScheduledTimeOutOfRangeError extends Error {
  constructor(scheduledTime: string, now: Date) {
    super(
      `scheduledTime ${scheduledTime} is not within the ${MAX_SCHEDULED_AGE_HOURS} hours before ` +
        `now (${now.toISOString()}); start the workflow with {"day": "YYYY-MM-DD"} to backfill a day`,
    );
    this.name = 'ScheduledTimeOutOfRangeError';
  }
}

/**
 * The steps of a run at the schedule's time (`now` when started by hand):
 * the latest final day and yesterday, or only `day` when one is asked for (a
 * backfill). A late or retried start plans the same days as a punctual one.
 * Throws, before any step, for a day outside the raw window or a scheduled
 * time not within the last MAX_SCHEDULED_AGE_HOURS.
 */
export function planDailyWorkflow(
  input: { readonly day?: string; readonly scheduledTime?: string },
  started: Date,
  target: DailyJobTarget,
): WorkflowState {
  const now = input.scheduledTime === undefined ? started : new Date(input.scheduledTime);
  const age = started.getTime() - now.getTime();
  if (age < 0 || age > MAX_SCHEDULED_AGE_HOURS * 3_600_000)
    throw new ScheduledTimeOutOfRangeError(input.scheduledTime!, started);
  const latenessHours = target.parameters.latenessHours;
  const steps = dailyJobSteps(plannedDays(input.day, now, latenessHours));
  for (const day of new Set(steps.map((s) => s.day)))
    aggregationJob(day, now, { ...target, latenessHours, partialToday: day === formatDay(now) });
  const facts: WorkflowFacts = { aggregates: {} };
  return { now: now.toISOString(), steps, index: 0, attempts: 0, facts, done: false };
}

/**
 * Scheduled: the latest final day, and yesterday when it is not that day. A
 * day asked for: finalised when final, else aggregated provisionally (today
 * so far included), never published, as the schedule treats yesterday.
 */
function plannedDays(day: string | undefined, now: Date, latenessHours: number) {
  if (day !== undefined)
    return isFinal(day, now, latenessHours) ? { finalDay: day } : { provisionalDay: day };
  const finalDay = latestFinalDay(now, latenessHours);
  const yesterday = addDays(formatDay(now), -1);
  return { finalDay, provisionalDay: yesterday !== finalDay ? yesterday : undefined };
}

function contextOf(state: WorkflowState, deps: WorkflowDeps, target: DailyJobTarget): StepContext {
  return {
    s3: deps.s3,
    random: deps.random,
    now: new Date(state.now),
    target: { ...target, latenessHours: target.parameters.latenessHours },
    facts: state.facts as WorkflowFacts,
  };
}

/** Does the current step's short work and submits its query; returns at once. */
export async function startStep(
  state: WorkflowState,
  deps: WorkflowDeps,
  target: DailyJobTarget,
): Promise<WorkflowState> {
  const step = state.steps[state.index]!;
  const action: StepAction = stepActions[step.name];
  const started = await action.start(step.day, contextOf(state, deps, target));
  const queryId = await deps.runner.submit(started.sql, {
    correlationId: `aggregate-${step.day}`,
  });
  return { ...state, facts: started.facts ?? state.facts, queryId, query: undefined };
}

/** Reads the finished query of the current step and moves on, or has the step run again. */
export async function finishStep(
  state: WorkflowState,
  deps: WorkflowDeps,
  target: DailyJobTarget,
): Promise<WorkflowState> {
  const step = state.steps[state.index]!;
  const { queryId, query, ...rest } = state;
  if (query?.state !== 'SUCCEEDED') {
    if (state.attempts + 1 >= MAX_STEP_ATTEMPTS)
      throw new StepFailedError(step, query?.state, queryId);
    return { ...rest, attempts: state.attempts + 1 };
  }
  const action: StepAction = stepActions[step.name];
  const facts = action.finish
    ? await action.finish(
        step.day,
        await deps.runner.results(queryId!),
        contextOf(state, deps, target),
      )
    : state.facts;
  const index = state.index + 1;
  return { ...rest, facts, index, attempts: 0, done: index >= state.steps.length };
}

/**
 * What a run did: a final day's result (the metrics come from `final`), a
 * provisional day's, or both when scheduled. A run asked for one day that is
 * not final yet has no `final`, so it publishes no day metric.
 */
export type WorkflowResult =
  DailyJobResult | { readonly final?: undefined; readonly provisional: DailyAggregationResult };

/** The run's result from its facts. */
export function workflowResult(state: WorkflowState, target: DailyJobTarget): WorkflowResult {
  const facts = state.facts as WorkflowFacts;
  const finalDay = state.steps.find((s) => s.name === 'publish')?.day;
  const provisionalDay = state.steps.map((s) => s.day).find((day) => day !== finalDay);
  const aggregate = (day: string): DailyAggregationResult => ({
    day,
    ...facts.aggregates[day]!,
    location: `s3://${target.aggregatesBucket}/${aggregateLayout.aggregate(day)}`,
  });
  const provisional = provisionalDay === undefined ? undefined : aggregate(provisionalDay);
  if (finalDay === undefined) return { provisional: provisional! };
  const final: FinalDayResult = {
    aggregate: aggregate(finalDay),
    publication: facts.publication!,
    recordsAfterFinal: facts.recordsAfterFinal ?? 0,
  };
  return provisional === undefined ? { final } : { final, provisional };
}
