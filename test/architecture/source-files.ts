import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');

/** The folders whose code ships or runs (tests and their support are judged apart). */
export const LAYERS = [
  'bin',
  'core',
  'lib',
  'lambdas',
  'cli',
  'local',
  'scripts',
  'bench',
] as const;
export type Layer = (typeof LAYERS)[number] | 'test';

/** Every TypeScript file git knows of (tracked or new), relative to the root. */
export function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f.endsWith('.ts') && existsSync(join(ROOT, f)));
}

export const layerOf = (file: string): Layer => file.split('/')[0] as Layer;

export const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** An import of a file: what it names, and the file it resolves to when it is relative. */
export interface Import {
  readonly specifier: string;
  readonly target?: string;
  /** `import type` / `export type`: erased at run time. */
  readonly typeOnly: boolean;
}

const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: string): Import[] {
  const imports: Import[] = [];
  for (const m of read(file).matchAll(IMPORT)) {
    const specifier = m[3] ?? m[4]!;
    let target: string | undefined;
    if (specifier.startsWith('.')) {
      const base = resolve(ROOT, dirname(file), specifier);
      const found = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p));
      target = found ? relative(ROOT, found) : undefined;
    }
    imports.push({ specifier, target, typeOnly: m[2] !== undefined });
  }
  return imports;
}
