import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEGIN, END, fieldReference } from '../../scripts/field-reference';

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

describe('docs/ingestion.md field reference', () => {
  it('matches the schemas (regenerate with npx tsx scripts/field-reference.ts)', () => {
    const doc = readFileSync(join(__dirname, '../../docs/ingestion.md'), 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(normalize(doc.slice(start, end + END.length))).toBe(normalize(fieldReference()));
  });
});
