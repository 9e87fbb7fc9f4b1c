import { LAYERS, layerOf, read, sourceFiles } from './source-files';

/**
 * Statements live in sql/*.sql and reach the engines through
 * core/query/sql.ts, which quotes every value: no code writes SQL text.
 */
const INLINE_SQL =
  /[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|WITH|MERGE|UNLOAD)\s[^`'"]*\b(FROM|TABLE|INTO|AS|SET)\b/;

describe('SQL', () => {
  const files = sourceFiles().filter((f) => (LAYERS as readonly string[]).includes(layerOf(f)));

  it('is written in sql/ files only, never inline in code', () => {
    const inline = files.flatMap((file) =>
      read(file)
        .split('\n')
        .flatMap((line, i) => (INLINE_SQL.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(inline).toEqual([]);
  });

  it('recognises an inline statement', () => {
    expect(INLINE_SQL.test('await runner.run(`DROP TABLE IF EXISTS ${table}`);')).toBe(true);
    expect(INLINE_SQL.test("run('SELECT count(*) FROM ' + table)")).toBe(true);
    expect(INLINE_SQL.test("print('create the stage from its template')")).toBe(false);
  });
});
