import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formats } from '../../../core/ingest/formats';
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

/** nginx access-log lines the scenario ships besides the generated JSON: a non-JSON source. */
export const NGINX_LINES = 12;
/** The CertID serial of the sample request in those lines (`openssl ocsp -reqout`, docs/formats.md). */
export const NGINX_SERIAL = 'a1b2c3';

/** nginx's `$time_local` (UTC) of `at`. */
function timeLocal(at: Date): string {
  const [, day, month, year, time] = /^\w+, (\d+) (\w+) (\d+) (\S+)/.exec(at.toUTCString())!;
  return `${day}/${month}/${year}:${time} +0000`;
}

/**
 * An nginx combined log in front of an OCSP responder, shipped with
 * `--format combined`: the format's sample line (a real openssl request)
 * at the current time, from a different client each.
 */
async function shipNginxLog(ctx: ScenarioContext): Promise<number> {
  const [sample] = formats.combined.sample.lines;
  const at = timeLocal(new Date(Date.now() - 60_000));
  const lines = Array.from({ length: NGINX_LINES }, (_, i) =>
    sample
      .replace('28/Nov/2026:10:00:00 +0000', at)
      .replace('198.51.100.23', `198.51.100.${100 + i}`),
  );
  const file = join(ctx.work, 'nginx-ocsp.log');
  writeFileSync(file, lines.join('\n') + '\n');
  const options = JSON.stringify(formats.combined.sample.options);
  const ship = ['ship', '--type', 'ocsp', '--stage', ctx.options.stage, '--quiet'];
  const summary = JSON.parse(
    await logvault([...ship, '--format', 'combined', '--format-options', options, file]),
  ) as ShipSummary;
  ctx.check(`all ${NGINX_LINES} nginx log lines delivered`, summary.delivered === NGINX_LINES);
  return summary.delivered;
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
  const nginx = await shipNginxLog(ctx);
  ctx.check(
    'OCSP objects landed in the raw bucket under ocsp/',
    (await ctx.countObjects(ctx.bucket('ocsp-raw'), prefixes.ocsp)) > 0,
  );
  ctx.facts.shipped = shipped;
  return `OCSP ${shipped.ocsp!.linesPerSecond} lines/s, billed ${shipped.ocsp!.billedRatio}× raw bytes; ACME billed ${shipped.acme!.billedRatio}×; ${nginx} nginx lines`;
}
