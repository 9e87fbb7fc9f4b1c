import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one way logvault writes SQL: statements live in `sql/*.sql` with
 * `{{name}}` placeholders, and every value reaches them as a typed parameter
 * that this module quotes itself. No caller builds SQL text.
 */

/** A SQL string literal: single quotes doubled, control characters refused. */
export function sqlString(value: string): string {
  // eslint-disable-next-line no-control-regex -- exactly what is being refused
  if (/[\u0000-\u001f]/.test(value)) throw new Error('SQL string contains a control character');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A string literal, or NULL for an absent value (matches nothing in `=`). */
export function sqlStringOrNull(value: string | undefined): string {
  return value === undefined ? 'NULL' : sqlString(value);
}

/** A SQL integer literal from a safe integer. */
export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** SQL a template rendered; the only text a placeholder takes as is. */
export class SqlText {
  constructor(readonly text: string) {}
}

/** A value for one `{{name}}` placeholder. */
export type SqlParam = { readonly render: () => string };

export const sql = {
  string: (value: string): SqlParam => ({ render: () => sqlString(value) }),
  stringOrNull: (value: string | undefined): SqlParam => ({
    render: () => sqlStringOrNull(value),
  }),
  integer: (value: number): SqlParam => ({ render: () => sqlInteger(value) }),
  /** A (schema-qualified) table name: lowercase letters, digits and `_` only. */
  identifier: (name: string): SqlParam => ({
    render: () => {
      if (!IDENTIFIER.test(name)) throw new Error(`not a SQL identifier: ${name}`);
      return name;
    },
  }),
  /** An array of varchar, empty or not. */
  strings: (values: readonly string[]): SqlParam => ({
    render: () => `CAST(ARRAY[${values.map(sqlString).join(', ')}] AS ARRAY(VARCHAR))`,
  }),
  /** A fragment another template rendered (a shared predicate). */
  fragment: (fragment: SqlText): SqlParam => ({ render: () => fragment.text }),
};

/** `sql/`: beside the bundle in Lambda (LoggedFunction copies it), the repository's from source. */
const SQL_DIRS = [join(__dirname, 'sql'), join(__dirname, '..', '..', 'sql')];

const withoutComments = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim();

/**
 * The text of `sql/<relative>`, each `{{> name}}` replaced by the fragment
 * `sql/fragments/<name>.sql` (without its comments): a clause several
 * statements share, written once.
 */
export function readSqlFile(relative: string): string {
  const candidates = SQL_DIRS.map((dir) => join(dir, relative));
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new Error(`SQL file sql/${relative} not found (looked in ${candidates.join(', ')})`);
  return withFragments(readFileSync(found, 'utf8'));
}

/** `text` with each `{{> name}}` replaced by its fragment, continuation lines indented by two. */
export function withFragments(text: string): string {
  return text.replace(/\{\{> ([\w-]+)\}\}/g, (_, name: string) =>
    withoutComments(readSqlFile(`fragments/${name}.sql`)).replace(/\n/g, '\n  '),
  );
}

/** The placeholders a template uses, each once. */
export const placeholdersOf = (template: string) =>
  new Set([...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!));

/** Fills a template; every placeholder needs a parameter and every parameter a placeholder. */
export function renderSql(template: string, params: Record<string, SqlParam>): SqlText {
  const used = placeholdersOf(template);
  const unused = Object.keys(params).filter((name) => !used.has(name));
  if (unused.length > 0)
    throw new Error(`SQL parameters without a placeholder: ${unused.join(', ')}`);
  return new SqlText(
    template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const param = params[name];
      if (param === undefined) throw new Error(`SQL placeholder {{${name}}} has no value`);
      return param.render();
    }),
  );
}

/**
 * Renders `sql/<relative>`. A fragment (a predicate another statement embeds)
 * is rendered without its comment lines, so it sits inside one clause.
 */
export function renderSqlFile(
  relative: string,
  params: Record<string, SqlParam>,
  options: { fragment?: boolean } = {},
): SqlText {
  const text = readSqlFile(relative);
  return renderSql(options.fragment ? withoutComments(text) : text, params);
}
