import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { functionName } from '../../naming';
import { HOUR_MS } from '../../time/units';
import type { SmokeContext } from '../context';
import { CheckVerdict, fail, pass, skip } from '../result';

/** Two hourly runs: the last run of an hourly schedule is inside this window. */
const LOOKBACK_MS = 2 * HOUR_MS;
const PERIOD_S = 300;

/** Lambda's own metric of the function, per 5 minutes over the lookback. */
async function lambdaMetric(ctx: SmokeContext, fn: string, metric: 'Invocations' | 'Errors') {
  const end = ctx.now();
  const got = await ctx.clients.cloudwatch.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [{ Name: 'FunctionName', Value: fn }],
      StartTime: new Date(end.getTime() - LOOKBACK_MS),
      EndTime: end,
      Period: PERIOD_S,
      Statistics: ['Sum'],
    }),
  );
  return new Map((got.Datapoints ?? []).map((d) => [d.Timestamp!.getTime(), d.Sum ?? 0]));
}

/** Classifies the monitor's last run from its per-period invocations and errors. */
export function lastRunVerdict(
  invocations: ReadonlyMap<number, number>,
  errors: ReadonlyMap<number, number>,
): { last?: Date; failed: boolean } {
  const ran = [...invocations].filter(([, n]) => n > 0).map(([t]) => t);
  if (ran.length === 0) return { failed: false };
  const last = Math.max(...ran);
  return { last: new Date(last), failed: (errors.get(last) ?? 0) > 0 };
}

/**
 * The retention monitor's last scheduled run succeeded (Lambda's Invocations
 * and Errors metrics of its last period with a run). The stand-ins run no
 * schedule and no Lambda, so there it is skipped.
 */
export async function retentionMonitorCheck(ctx: SmokeContext): Promise<CheckVerdict> {
  if (ctx.target === 'stand-ins')
    return skip(
      'the stand-ins run no EventBridge schedule and no Lambda function (moto has no Lambda runtime without docker); the monitor itself is tested in test/monitoring',
    );
  const fn = functionName(ctx.stage, 'retention-monitor');
  const verdict = lastRunVerdict(
    await lambdaMetric(ctx, fn, 'Invocations'),
    await lambdaMetric(ctx, fn, 'Errors'),
  );
  if (verdict.last === undefined)
    return fail(
      `${fn} did not run in the last 2 hours (hourly schedule); on a stage deployed under an hour ago, rerun smoke after its first run`,
    );
  if (verdict.failed)
    return fail(`${fn}'s last run (${verdict.last.toISOString()}) failed: see its log group`);
  return pass(`${fn}'s last run (${verdict.last.toISOString()}) succeeded`);
}
