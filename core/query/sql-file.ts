import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads `sql/<relative>`: beside the bundle in Lambda (LoggedFunction copies
 * `sql/` into every bundle), from the repository when run from source.
 */
export function readSqlFile(relative: string): string {
  const candidates = [join(__dirname, 'sql', relative), join(__dirname, '../../sql', relative)];
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new Error(`SQL file sql/${relative} not found (looked in ${candidates.join(', ')})`);
  return readFileSync(found, 'utf8');
}

/** Fills `{{name}}` placeholders; every placeholder must be given. */
export function fillSql(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`SQL placeholder {{${name}}} has no value`);
    return value;
  });
}
