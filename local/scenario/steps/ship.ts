import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prefixes } from '../../../core/naming';
import { ScenarioContext, logvault } from '../context';

interface ShipSummary {
  readonly delivered: number;
  readonly billedRatio: number;
  readonly linesPerSecond: number;
}

/** Step 2: realistic traffic from `logvault generate`, shipped with `logvault ship`. */
export async function shipTraffic(ctx: ScenarioContext, acmeLines: number): Promise<string> {
  const shipped: Record<string, ShipSummary> = {};
  for (const [type, lines] of [
    ['ocsp', ctx.options.lines],
    ['acme', acmeLines],
  ] as const) {
    const file = join(ctx.work, `${type}.ndjson`);
    // 23 hours back from the current hour: every OCSP line stays inside the
    // shipper's 24-hour plausibility window (docs/ingestion.md) while it ships.
    const days = String(23 / 24);
    const generate = ['generate', '--type', type, '--lines', String(lines), '--days', days];
    writeFileSync(file, await logvault([...generate, '--seed', '7']));
    shipped[type] = JSON.parse(
      await logvault(['ship', '--type', type, '--stage', ctx.options.stage, '--quiet', file]),
    ) as ShipSummary;
    ctx.check(`all ${lines} ${type} lines delivered`, shipped[type].delivered === lines);
  }
  ctx.check(
    'OCSP objects landed in the raw bucket under ocsp/',
    (await ctx.countObjects(ctx.bucket('ocsp-raw'), prefixes.ocsp)) > 0,
  );
  ctx.facts.shipped = shipped;
  return `OCSP ${shipped.ocsp!.linesPerSecond} lines/s, billed ${shipped.ocsp!.billedRatio}× raw bytes; ACME billed ${shipped.acme!.billedRatio}×`;
}
