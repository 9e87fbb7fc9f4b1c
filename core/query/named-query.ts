import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqlParam, placeholdersOf, renderSql, sql, withFragments } from './sql';
import { parseDay } from '../time/days';
import { partitionRange } from '../time/finality';

/**
 * Named queries: `sql/queries/<name>.sql`, run by `logvault query NAME`.
 * Header lines declare what the file needs:
 *
 *     -- description: one line for `logvault query --list`
 *     -- param: NAME TYPE        (TYPE: day | integer | hex)
 *
 * and the SQL uses `{{NAME}}`. Values are validated against their type and
 * rendered as SQL literals; a raw string never reaches the SQL.
 */

export const QUERIES_DIR = join(__dirname, '..', '..', 'sql', 'queries');

const isDay = (value: string) => {
  try {
    parseDay(value);
    return true;
  } catch {
    return false;
  }
};

/** Each parameter type: the SQL parameter of a valid value, undefined for an invalid one. */
const paramTypes: Record<'day' | 'integer' | 'hex', (value: string) => SqlParam | undefined> = {
  /** A calendar day, `YYYY-MM-DD`, as a string (partition keys are strings). */
  day: (value) => (isDay(value) ? sql.string(value) : undefined),
  integer: (value) => (/^-?\d{1,15}$/.test(value) ? sql.integer(Number(value)) : undefined),
  /** Lowercase hex (serials, key hashes), as a string. */
  hex: (value) => (/^[0-9a-f]{1,128}$/.test(value) ? sql.string(value) : undefined),
};

export type ParamType = keyof typeof paramTypes;

export interface NamedQuery {
  readonly name: string;
  readonly description: string;
  readonly params: { readonly name: string; readonly type: ParamType }[];
  readonly template: string;
}

export class NamedQueryError extends Error {}

/** Parses one named-query file; malformed headers are errors, not ignored. */
export function parseNamedQuery(name: string, text: string): NamedQuery {
  const params: NamedQuery['params'] = [];
  let description = '';
  for (const line of text.split('\n')) {
    const param = /^--\s*param:\s*(.*)$/.exec(line);
    if (param) {
      const match = /^([a-z_][a-z0-9_]*)\s+([a-z]+)\s*$/.exec(param[1]);
      if (!match || !(match[2] in paramTypes))
        throw new NamedQueryError(
          `${name}.sql: bad parameter line "${line}" (expected "-- param: NAME ${Object.keys(paramTypes).join('|')}")`,
        );
      params.push({ name: match[1], type: match[2] as ParamType });
    }
    const desc = /^--\s*description:\s*(.*)$/.exec(line);
    if (desc) description = desc[1].trim();
  }
  const declared = new Set(params.flatMap((p) => placeholdersFor(p)));
  for (const [, used] of text.matchAll(/\{\{(\w+)\}\}/g))
    if (!declared.has(used))
      throw new NamedQueryError(`${name}.sql uses {{${used}}} without a "-- param: ${used}" line`);
  return { name, description, params, template: text };
}

/** Every named query in `dir`, by name. */
export function namedQueries(dir = QUERIES_DIR): Map<string, NamedQuery> {
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => {
        const name = f.slice(0, -'.sql'.length);
        return [name, parseNamedQuery(name, withFragments(readFileSync(join(dir, f), 'utf8')))];
      }),
  );
}

/** The SQL of `query` with `values` validated and filled in; lists every problem at once. */
/**
 * The placeholders a parameter fills: its own, and for a day the first and
 * last arrival partition of its records (`NAME_first_hour`, `NAME_last_hour`,
 * with the late-arrival margin of core/time/margins.ts).
 */
const placeholdersFor = (p: NamedQuery['params'][number]) =>
  p.type === 'day' ? [p.name, `${p.name}_first_hour`, `${p.name}_last_hour`] : [p.name];

/** The partition bounds of the day parameters, for the placeholders the template uses. */
function partitionParams(query: NamedQuery, values: Record<string, string>) {
  const used = placeholdersOf(query.template);
  const params: Record<string, SqlParam> = {};
  for (const p of query.params.filter((q) => q.type === 'day' && isDay(values[q.name] ?? ''))) {
    const { first, last } = partitionRange(values[p.name]!);
    if (used.has(`${p.name}_first_hour`)) params[`${p.name}_first_hour`] = sql.string(first);
    if (used.has(`${p.name}_last_hour`)) params[`${p.name}_last_hour`] = sql.string(last);
  }
  return params;
}

export function renderNamedQuery(query: NamedQuery, values: Record<string, string>): string {
  const problems: string[] = [];
  const literals: Record<string, SqlParam> = {};
  for (const param of query.params) {
    const value = values[param.name];
    if (value === undefined) {
      problems.push(`missing --${param.name} (${param.type})`);
      continue;
    }
    const literal = paramTypes[param.type](value);
    if (literal === undefined)
      problems.push(`--${param.name} ${JSON.stringify(value)} is not a valid ${param.type}`);
    else literals[param.name] = literal;
  }
  for (const name of Object.keys(values))
    if (!query.params.some((p) => p.name === name))
      problems.push(
        `${query.name} takes no parameter "${name}"` +
          ` (it takes: ${query.params.map((p) => p.name).join(', ') || 'none'})`,
      );
  if (problems.length > 0) throw new NamedQueryError(problems.join('\n'));
  return renderSql(query.template, { ...literals, ...partitionParams(query, values) }).text;
}
