import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqlParam, placeholdersOf, renderSql, sql, withFragments } from './sql';
import { formatDay, parseDay } from '../time/days';
import { quoted } from '../format/printable';
import { partitionRange } from '../time/finality';

/**
 * Named queries: `sql/queries/<name>.sql`, run by `logvault query NAME`.
 * Header lines declare what the file needs:
 *
 *     -- description: one line for `logvault query --list`
 *     -- param: NAME TYPE        (TYPE: day | integer | hex)
 *     -- range: FROM TO          (two day parameters; FROM <= TO is required)
 *     -- fallback: NAME          (the query that answers, with the same values,
 *                                 when a row's answered_from starts with "fallback")
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

/** What a valid value of each type looks like, for messages and `--list`. */
export const typeHelp: Record<ParamType, { placeholder: string; meaning: string }> = {
  day: { placeholder: 'YYYY-MM-DD', meaning: 'a UTC day, YYYY-MM-DD' },
  integer: { placeholder: 'N', meaning: 'a whole number' },
  hex: { placeholder: 'HEX', meaning: 'lowercase hex, 1 to 128 digits' },
};

/** A parameter as the caller gives it, with its placeholder: `--param serial=HEX`. */
export function spelled(param: NamedQuery['params'][number], spell: (name: string) => string) {
  return `${spell(param.name)}${typeHelp[param.type].placeholder}`;
}

export interface NamedQuery {
  readonly name: string;
  readonly description: string;
  readonly params: { readonly name: string; readonly type: ParamType }[];
  /** Pairs of day parameters that must be in order (`-- range: FROM TO`). */
  readonly ranges: { readonly from: string; readonly to: string }[];
  /** The named query to run instead when this one says it cannot answer (`-- fallback: NAME`). */
  readonly fallback?: string;
  readonly template: string;
}

export class NamedQueryError extends Error {}

/** Parses one named-query file; malformed headers are errors, not ignored. */
export function parseNamedQuery(name: string, text: string): NamedQuery {
  const params: NamedQuery['params'] = [];
  const ranges: NamedQuery['ranges'] = [];
  let description = '';
  let fallback: string | undefined;
  for (const line of text.split('\n')) {
    const other = /^--\s*fallback:\s*(.*)$/.exec(line);
    if (other) fallback = parseFallback(name, other[1]!.trim(), line);
    const range = /^--\s*range:\s*(.*)$/.exec(line);
    if (range) ranges.push(parseRange(name, range[1]!, line));
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
  for (const { from, to } of ranges)
    for (const end of [from, to])
      if (!params.some((p) => p.name === end && p.type === 'day'))
        throw new NamedQueryError(`${name}.sql: range end "${end}" is not a day parameter`);
  return { name, description, params, ranges, fallback, template: text };
}

function parseFallback(name: string, text: string, line: string) {
  if (!/^[a-z0-9-]+$/.test(text) || text === name)
    throw new NamedQueryError(
      `${name}.sql: bad fallback line "${line}" (expected "-- fallback: NAME" of another query)`,
    );
  return text;
}

function parseRange(name: string, text: string, line: string) {
  const match = /^([a-z_][a-z0-9_]*)\s+([a-z_][a-z0-9_]*)\s*$/.exec(text);
  if (!match)
    throw new NamedQueryError(
      `${name}.sql: bad range line "${line}" (expected "-- range: FROM TO")`,
    );
  return { from: match[1]!, to: match[2]! };
}

/** Every named query in `dir`, by name. */
export function namedQueries(dir = QUERIES_DIR): Map<string, NamedQuery> {
  const queries = new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => {
        const name = f.slice(0, -'.sql'.length);
        return [name, parseNamedQuery(name, withFragments(readFileSync(join(dir, f), 'utf8')))];
      }),
  );
  for (const query of queries.values()) assertFallback(query, queries);
  return queries;
}

/**
 * A fallback must exist, take exactly the same parameters (the same values
 * fill it) and have no fallback of its own (it is the answer of last resort).
 */
function assertFallback(query: NamedQuery, queries: Map<string, NamedQuery>) {
  if (query.fallback === undefined) return;
  const other = queries.get(query.fallback);
  const signature = (q: NamedQuery) => JSON.stringify(q.params);
  const problem = !other
    ? 'is no named query'
    : signature(other) !== signature(query)
      ? 'takes other parameters'
      : other.fallback !== undefined
        ? 'has a fallback of its own'
        : undefined;
  if (problem)
    throw new NamedQueryError(`${query.name}.sql: fallback ${query.fallback} ${problem}`);
}

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

/**
 * How the caller spells a parameter before its value in messages, e.g.
 * `--param serial=`; `now` bounds the days.
 */
export interface RenderOptions {
  readonly spell?: (name: string) => string;
  readonly now?: Date;
}

/**
 * The SQL of `query` with `values` validated and filled in; lists every
 * problem at once. A day after today (UTC) is refused: no record can be
 * from it, and such a day (9999-12-31) has no arrival partitions to name.
 */
export function renderNamedQuery(
  query: NamedQuery,
  values: Record<string, string>,
  { spell = (name) => `${name}=`, now = new Date() }: RenderOptions = {},
): string {
  const problems: string[] = [];
  const literals: Record<string, SqlParam> = {};
  const today = formatDay(now);
  for (const param of query.params) {
    const value = values[param.name];
    if (value === undefined) {
      problems.push(`missing ${spelled(param, spell)}`);
      continue;
    }
    const literal = paramTypes[param.type](value);
    if (literal === undefined)
      problems.push(`${spell(param.name)}${quoted(value)} is not ${typeHelp[param.type].meaning}`);
    else if (param.type === 'day' && value > today)
      problems.push(
        `${spell(param.name)}${value} is after today (${today} UTC): no record can be from it`,
      );
    else literals[param.name] = literal;
  }
  for (const { from, to } of query.ranges)
    if (literals[from] && literals[to] && values[from]! > values[to]!)
      problems.push(
        `${spell(from)}${values[from]} is after ${spell(to)}${values[to]}: give the earlier day first`,
      );
  for (const name of Object.keys(values))
    if (!query.params.some((p) => p.name === name))
      problems.push(
        `${query.name} takes no parameter ${quoted(name)}` +
          ` (it takes: ${query.params.map((p) => spelled(p, spell)).join(', ') || 'none'})`,
      );
  if (problems.length > 0) throw new NamedQueryError(problems.join('\n'));
  return renderSql(query.template, { ...literals, ...partitionParams(query, values) }).text;
}
