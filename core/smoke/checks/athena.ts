import { aggregateDay } from '../../analytics/daily-aggregation';
import { viewDefinitions } from '../../analytics/views';
import { renderSqlFile, sql } from '../../query/sql';
import { formatDay } from '../../time/days';
import { jobsWorkGroupName } from '../../naming';
import type { SmokeContext } from '../context';
import { CheckVerdict, pass } from '../result';

/**
 * Every view runs (LIMIT 0: planned against the catalog, nothing scanned),
 * then the daily job aggregates today provisionally (partial, never
 * published; the day's final run replaces it after the canaries are gone),
 * both in the jobs workgroup, so its CTAS writing the aggregates bucket is
 * what is proved. A failing statement throws with the engine's message.
 */
export async function athenaCheck(ctx: SmokeContext): Promise<CheckVerdict> {
  const views = viewDefinitions();
  for (const view of views)
    await ctx.runner.run(
      renderSqlFile('jobs/smoke-view.sql', { view: sql.identifier(view.name) }).text,
      {
        correlationId: `smoke-${ctx.runId}`,
      },
    );
  const day = formatDay(ctx.now());
  const result = await aggregateDay(
    day,
    { runner: ctx.runner, s3: ctx.clients.s3, now: ctx.now() },
    {
      aggregatesBucket: ctx.bucket('aggregates'),
      rawLogExpiryDays: ctx.config.ocsp.rawLogExpiryDays,
      partialToday: true,
    },
  );
  return pass(
    `${views.length} views ran and the daily job aggregated ${day} so far (${result.requests} requests, provisional) on ${ctx.runner.engine} in ${jobsWorkGroupName(ctx.stage)}`,
    { 'the jobs workgroup CTAS writes the aggregates bucket': `yes (${result.location})` },
  );
}
