import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prefixes } from '../../../core/naming';
import { ScenarioContext, logvault } from '../context';

interface ShipSummary {
  readonly delivered: number;
  readonly billedRatio: number;
  readonly linesPerSecond: number;
}

/** Writes the first and second half of the lines of `text` to two files. */
function halves(text: string, work: string): string[] {
  const lines = text.split('\n').filter((line) => line !== '');
  const middle = Math.ceil(lines.length / 2);
  return [lines.slice(0, middle), lines.slice(middle)].map((part, i) => {
    const file = join(work, `acme-part-${i + 1}.ndjson`);
    writeFileSync(file, part.join('\n') + '\n');
    return file;
  });
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
    const generated = await logvault([...generate, '--seed', '7']);
    writeFileSync(file, generated);
    // ACME in two ship runs, so the archive holds at least two objects at any
    // --lines and the ACME case always goes through S3 Batch Operations (a
    // single object is held directly, below the threshold of 1).
    const parts = type === 'acme' ? halves(generated, ctx.work) : [file];
    const summaries: ShipSummary[] = [];
    for (const part of parts)
      summaries.push(
        JSON.parse(
          await logvault(['ship', '--type', type, '--stage', ctx.options.stage, '--quiet', part]),
        ) as ShipSummary,
      );
    shipped[type] = { ...summaries[0]!, delivered: summaries.reduce((t, s) => t + s.delivered, 0) };
    ctx.check(`all ${lines} ${type} lines delivered`, shipped[type].delivered === lines);
  }
  ctx.check(
    'OCSP objects landed in the raw bucket under ocsp/',
    (await ctx.countObjects(ctx.bucket('ocsp-raw'), prefixes.ocsp)) > 0,
  );
  ctx.facts.shipped = shipped;
  return `OCSP ${shipped.ocsp!.linesPerSecond} lines/s, billed ${shipped.ocsp!.billedRatio}× raw bytes; ACME billed ${shipped.acme!.billedRatio}×`;
}
