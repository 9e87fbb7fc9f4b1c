import { formatDay } from '../../time/days';
import { dayWindow, isFinal } from '../../time/finality';
import { WorkflowResult } from './workflow';

/**
 * How `logvault aggregate` asks the daily workflow for a day and reads what
 * it did: the execution's input, the kind of run it is (which its name
 * carries), the table it prints and, when it failed, where.
 */

/** What the plan (workflow.ts) does with a day asked for: finalise it, or aggregate it so far. */
export type DayKind = 'final' | 'provisional' | 'today';

export function dayKind(day: string, now: Date, latenessHours: number): DayKind {
  if (day === formatDay(now)) return 'today';
  return isFinal(day, now, latenessHours) ? 'final' : 'provisional';
}

/** The execution's input: the plan takes the day, and judges it at the execution's own start. */
export const executionInput = (day: string) => JSON.stringify({ day });

export const AGGREGATE_COLUMNS = [
  'DAY',
  'FINAL',
  'CERTIFICATES',
  'REQUESTS',
  'PUBLICATION',
  'AFTER FINAL',
  'NO CERTIFICATE',
];

/** A run's result as rows of AGGREGATE_COLUMNS: its final day, then its provisional day. */
export function resultRows(result: WorkflowResult, latenessHours: number): string[][] {
  const rows: string[][] = [];
  const { final, provisional } = result;
  if (final !== undefined) {
    const { aggregate } = final;
    rows.push([
      aggregate.day,
      'yes',
      String(aggregate.certificates),
      String(aggregate.requests),
      final.publication.status,
      String(final.recordsAfterFinal),
      String(aggregate.recordsWithoutCertificate),
    ]);
  }
  if (provisional !== undefined)
    rows.push([
      provisional.day,
      'no',
      String(provisional.certificates),
      String(provisional.requests),
      `not before ${dayWindow(provisional.day, latenessHours).finalAt.toISOString()}`,
      '-',
      String(provisional.recordsWithoutCertificate),
    ]);
  return rows;
}

/** The parts of a Step Functions history event (GetExecutionHistory) read here. */
export interface HistoryEvent {
  readonly type?: string;
  readonly stateEnteredEventDetails?: { readonly name?: string };
  readonly executionFailedEventDetails?: { readonly error?: string; readonly cause?: string };
  readonly executionTimedOutEventDetails?: { readonly error?: string; readonly cause?: string };
}

/**
 * Where an execution ended and why, from its history in time order: the last
 * state it entered, and the error and cause of its failure or time-out.
 */
export function failureOf(events: readonly HistoryEvent[]): {
  state?: string;
  error?: string;
  cause?: string;
} {
  const latestFirst = [...events].reverse();
  const state = latestFirst.find((e) => e.stateEnteredEventDetails?.name !== undefined)
    ?.stateEnteredEventDetails?.name;
  const end = latestFirst.find(
    (e) => e.executionFailedEventDetails ?? e.executionTimedOutEventDetails,
  );
  const details = end?.executionFailedEventDetails ?? end?.executionTimedOutEventDetails;
  return { state, error: details?.error, cause: details?.cause };
}
