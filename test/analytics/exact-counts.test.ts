import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const sqlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sqlFiles(join(dir, e.name))
      : e.name.endsWith('.sql')
        ? [join(dir, e.name)]
        : [],
  );

describe('counts the docs call exact', () => {
  // docs/analytics.md promises exact counts; approx_distinct (HyperLogLog) is off by
  // about 2 % at volume, so no statement may use an approximate aggregate.
  it.each(sqlFiles('sql'))('%s uses no approximate aggregate', (file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(/\bapprox_\w+\s*\(/i);
  });
});
