import { workflowEventSchema } from '../../core/analytics/daily-workflow/phases';
import {
  ScheduledTimeOutOfRangeError,
  planDailyWorkflow,
} from '../../core/analytics/daily-workflow/workflow';
import { loadStageConfig } from '../../core/config/load-stage-config';

/**
 * The plan of a scheduled start (EventBridge Scheduler passes
 * <aws.scheduler.scheduled-time>): Scheduler retries a start it could not
 * make and Step Functions may start it late, and either must plan the days
 * the punctual start would have; a scheduled time still to come (a forged or
 * mistaken start) would finalise a day before it is final, and one older
 * than a retry can be judges days against a moved raw window: both refused.
 */
describe('planning the daily workflow from the scheduled time', () => {
  const config = loadStageConfig('dev');
  const target = {
    aggregatesBucket: 'aggregates',
    rawLogExpiryDays: config.ocsp.rawLogExpiryDays,
    parameters: config.analytics.publication,
  };
  const scheduledTime = '2026-11-27T03:15:00Z';
  const days = (plan: ReturnType<typeof planDailyWorkflow>) =>
    plan.steps.map((s) => `${s.name} ${s.day}`);

  it('a start 23 hours late plans the punctual start’s days, judged at the scheduled time', () => {
    const punctual = planDailyWorkflow({ scheduledTime }, new Date(scheduledTime), target);
    const late = planDailyWorkflow({ scheduledTime }, new Date('2026-11-28T02:15:00Z'), target);
    expect(days(late)).toEqual(days(punctual));
    expect(late.now).toBe(new Date(scheduledTime).toISOString());
    expect(new Set(punctual.steps.map((s) => s.day))).toEqual(
      new Set(['2026-11-25', '2026-11-26']),
    );
    // Without the scheduled time the late start would have finalised the next day.
    const unscheduled = planDailyWorkflow({}, new Date('2026-11-28T02:15:00Z'), target);
    expect(days(unscheduled)).not.toEqual(days(punctual));
  });

  it('refuses a scheduled time that has not come, or older than a scheduler retry, before any step', () => {
    expect(() =>
      planDailyWorkflow({ scheduledTime }, new Date('2026-11-27T03:14:00Z'), target),
    ).toThrow(ScheduledTimeOutOfRangeError);
    expect(() =>
      planDailyWorkflow({ scheduledTime }, new Date('2026-11-28T03:16:00Z'), target),
    ).toThrow(/not within the 24 hours before now .*"day"/);
  });

  it("takes the scheduler's rendering and refuses anything else, naming the field", () => {
    const parsed = workflowEventSchema.parse({ phase: 'plan', input: { scheduledTime } });
    expect(parsed).toEqual({ phase: 'plan', input: { scheduledTime } });
    expect(() =>
      workflowEventSchema.parse({ phase: 'plan', input: { scheduledTime: 'yesterday' } }),
    ).toThrow(/scheduledTime/);
  });
});
