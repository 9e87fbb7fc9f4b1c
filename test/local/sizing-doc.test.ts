import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from '../../bench/sizing/measure';
import { acmeRow, ocspRow, trickleBilledRatio } from '../../bench/sizing/model';
import { BEGIN, END, sizingMarkdown } from '../../bench/sizing/table';
import { loadStageConfig } from '../../core/config/load-stage-config';

/** Markdown tables compared cell by cell, so prettier's column padding does not matter. */
const normalize = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-+$/, '---'))
            .join('|')
        : line.trim(),
    )
    .filter((line) => line !== '')
    .join('\n');

describe('docs/sizing.md', () => {
  const measured = measure();
  const prod = loadStageConfig('prod');

  it('carries exactly what bench/sizing/run.ts prints (regenerate it when this fails)', () => {
    const doc = readFileSync(join(__dirname, '../../docs/sizing.md'), 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(normalize(doc.slice(start, end + END.length))).toBe(
      normalize(sizingMarkdown(measured, prod)),
    );
  });

  it('sizes streams by the byte quota of the Region', () => {
    // 200,000 lines of ~339 B: ~65 MiB/s, at 80 % of 5 MiB/s (us-east-1) or 1 MiB/s elsewhere.
    const row = ocspRow('', 200_000, measured, prod);
    const mibPerSecond = (200_000 * measured.ocsp.bytesPerLine) / 1024 ** 2;
    expect(row.streams.bigRegion).toBe(Math.ceil(mibPerSecond / 4));
    expect(row.streams.otherRegion).toBe(Math.ceil(mibPerSecond / 0.8));
    expect(row.objectRawMiB).toBeCloseTo(prod.ingestion.buffering.sizeMiB, 6);
  });

  it('flushes on the interval when a stream is too slow to fill the buffer', () => {
    const row = acmeRow('', 100_000, measured, prod);
    expect(row.objectsPerDay).toBe(86_400 / prod.ingestion.buffering.intervalSeconds);
    expect(row.objectGzipMiB).toBeLessThan(prod.ingestion.buffering.sizeMiB);
  });

  it('bills a trickle by its 5 KiB records and a full stream by its bytes', () => {
    expect(trickleBilledRatio(100, 1)).toBeCloseTo(51.2, 6); // 100 B billed as 5,120 B
    expect(trickleBilledRatio(5120, 10)).toBeCloseTo(1, 6);
    expect(trickleBilledRatio(339, 100_000)).toBeLessThan(1.01);
  });
});
