import ts from 'typescript';
import { LAYERS, layerOf, read, sourceFiles } from './source-files';

/** The longest a function outside the tests may be; longer ones are split by job. */
const MAX_LINES = 80;

/** Every function-like body in `file` longer than MAX_LINES, as `file:line name (n lines)`. */
function longFunctions(file: string, text = read(file)): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = lineOf(node.getStart(source));
      const lines = lineOf(node.end) - first + 1;
      const name = node.name?.getText(source) ?? node.parent.getText(source).split(/[=(:]/)[0]!;
      if (lines > MAX_LINES) found.push(`${file}:${first} ${name.trim()} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length', () => {
  const files = sourceFiles().filter((f) => (LAYERS as readonly string[]).includes(layerOf(f)));

  it(`keeps every non-test function within ${MAX_LINES} lines`, () => {
    expect(files.flatMap((f) => longFunctions(f))).toEqual([]);
  });

  it('finds a function one line too long, and not one that fits', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`);
    const fn = (name: string, n: number) => [`function ${name}() {`, ...body(n), '}'].join('\n');
    const code = `${fn('fits', MAX_LINES - 2)}\nconst long = () => {\n${body(MAX_LINES - 1).join('\n')}\n};`;
    expect(longFunctions('x.ts', code)).toEqual([
      `x.ts:${MAX_LINES + 1} long (${MAX_LINES + 1} lines)`,
    ]);
  });
});
