import { LAYERS, layerOf, read, sourceFiles } from './source-files';

/**
 * Statements live in sql/*.sql and reach the engines through
 * core/query/sql.ts, which quotes every value: no code writes SQL text.
 */
const INLINE_SQL =
  /[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|WITH|MERGE|UNLOAD)\s[^`'"]*\b(FROM|TABLE|INTO|AS|SET)\b/;

/** Text that reads like SQL but is not a statement, each with why. */
const NOT_SQL: Record<string, RegExp> = {
  // The title of the AWS documentation page the rule cites.
  'lib/rules/athena/AthenaCtasNotInEnforcedWorkGroup.ts': /'CREATE TABLE AS \(Amazon Athena\)'/,
};

const withoutComments = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ''))
    .replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('SQL', () => {
  const files = sourceFiles().filter((f) => (LAYERS as readonly string[]).includes(layerOf(f)));

  it('is written in sql/ files only, never inline in code', () => {
    const inline = files.flatMap((file) =>
      withoutComments(read(file))
        .split('\n')
        .map((line) => (NOT_SQL[file] ? line.replace(NOT_SQL[file], '') : line))
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
