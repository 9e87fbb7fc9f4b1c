import {
  dayKind,
  executionInput,
  failureOf,
  resultRows,
} from '../../core/analytics/daily-workflow/execution';
import { workflowEventSchema } from '../../core/analytics/daily-workflow/phases';
import { planDailyWorkflow, workflowResult } from '../../core/analytics/daily-workflow/workflow';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { dailyJobExecutionName } from '../../core/naming';
import { OutsideRawWindowError } from '../../core/time/days';

/**
 * `logvault aggregate` on AWS asks the daily workflow for one day at a time:
 * what the plan does with a day asked for (an operator's backfill, or a
 * forged start: only the day is taken, and judged at the execution's own
 * clock), what the execution is called (a second command must find the
 * first's execution, not start a second run of the day), and what it prints.
 */
describe('logvault aggregate through the daily workflow', () => {
  const config = loadStageConfig('dev');
  const lateness = config.analytics.publication.latenessHours;
  const target = {
    aggregatesBucket: 'aggregates',
    rawLogExpiryDays: config.ocsp.rawLogExpiryDays,
    parameters: config.analytics.publication,
  };
  // 06:00 UTC: the 27th is final (since the 29th 00:15), the 28th not yet.
  const now = new Date('2026-11-29T06:00:00Z');
  const plan = (day: string) => planDailyWorkflow({ day }, now, target);
  const stepsOf = (day: string) => plan(day).steps.map((s) => s.name);

  it('finalises and publishes a final day; a day not final, today so far included, is only aggregated', () => {
    expect(dayKind('2026-11-27', now, lateness)).toBe('final');
    expect(stepsOf('2026-11-27')).toEqual(
      expect.arrayContaining(['aggregate:load', 'publish', 'records-after-final']),
    );
    for (const day of ['2026-11-28', '2026-11-29']) {
      expect(stepsOf(day)).toContain('aggregate:load');
      expect(stepsOf(day)).not.toContain('publish');
      expect(stepsOf(day)).not.toContain('records-after-final');
    }
    expect(dayKind('2026-11-28', now, lateness)).toBe('provisional');
    expect(dayKind('2026-11-29', now, lateness)).toBe('today');
    // Tomorrow, or a day whose raw logs are gone, is refused before any step.
    expect(() => plan('2026-11-30')).toThrow(OutsideRawWindowError);
    expect(() => plan('2026-11-01')).toThrow(OutsideRawWindowError);
  });

  it('names an execution by day, kind and attempt, in the characters a logged state machine takes', () => {
    const name = dailyJobExecutionName('2026-11-27', 'final', 1);
    expect(name).toBe(dailyJobExecutionName('2026-11-27', 'final', 1));
    expect(name).not.toBe(dailyJobExecutionName('2026-11-27', 'final', 2));
    expect(name).not.toBe(dailyJobExecutionName('2026-11-27', 'provisional', 1));
    // Step Functions: 1-80 characters; with CloudWatch logging only A-Z a-z 0-9 - _.
    expect(dailyJobExecutionName('2026-11-27', 'provisional', 50)).toMatch(/^[\w-]{1,80}$/);
  });

  it('gives the same input text every time (StartExecution is idempotent only for identical input)', () => {
    expect(executionInput('2026-11-27')).toBe('{"day":"2026-11-27"}');
    const parsed = workflowEventSchema.parse({
      phase: 'plan',
      input: JSON.parse(executionInput('2026-11-27')),
    });
    expect(parsed).toEqual({ phase: 'plan', input: { day: '2026-11-27' } });
  });

  it("prints a final day's publication and a provisional day's finality from the execution's output", () => {
    const counts = { certificates: 7, requests: 90, recordsWithoutCertificate: 2 };
    const aggregate = (day: string) => ({
      day,
      ...counts,
      replacedObjects: 0,
      final: false,
      location: 's3://a/b',
    });
    const final = {
      aggregate: aggregate('2026-11-27'),
      publication: { day: '2026-11-27', status: 'refused' as const, rows: 0, epsilon: 1 },
      recordsAfterFinal: 4,
    };
    expect(resultRows({ final }, lateness)).toEqual([
      ['2026-11-27', 'yes', '7', '90', 'refused', '4', '2'],
    ]);
    expect(resultRows({ provisional: aggregate('2026-11-28') }, lateness)).toEqual([
      ['2026-11-28', 'no', '7', '90', 'not before 2026-11-30T00:15:00.000Z', '-', '2'],
    ]);
    // A run asked for a day not final reports only that day, with no final day (so no day metric).
    const state = plan('2026-11-28');
    const facts = { aggregates: { '2026-11-28': { ...counts, replacedObjects: 1, final: false } } };
    const result = workflowResult({ ...state, facts, done: true }, target);
    expect(result.final).toBeUndefined();
    expect(resultRows(result, lateness)).toEqual([
      ['2026-11-28', 'no', '7', '90', 'not before 2026-11-30T00:15:00.000Z', '-', '2'],
    ]);
  });

  it('finds the state a failed execution stopped in, and its error, from the history', () => {
    // GetExecutionHistory's events (time order) of a run whose start phase failed for good.
    const history = [
      { type: 'ExecutionStarted' },
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Plan' } },
      { type: 'TaskStateExited' },
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'StartStep' } },
      { type: 'TaskFailed' },
      {
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: 'StepFailedError', cause: 'step publish failed' },
      },
    ];
    expect(failureOf(history)).toEqual({
      state: 'StartStep',
      error: 'StepFailedError',
      cause: 'step publish failed',
    });
    const timedOut = [
      { type: 'WaitStateEntered', stateEnteredEventDetails: { name: 'WaitForQuery' } },
      { type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } },
    ];
    expect(failureOf(timedOut)).toEqual({
      state: 'WaitForQuery',
      error: 'States.Timeout',
      cause: undefined,
    });
  });
});
