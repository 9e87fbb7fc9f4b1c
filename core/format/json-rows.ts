import { jsonSafe } from './printable';

/**
 * Query rows as JSON objects, one text per row. The engines hand every value
 * over as text; a column of a numeric or boolean SQL type becomes a JSON
 * number or boolean, written from the engine's own digits so a bigint past
 * 2^53 keeps every digit (a reader that parses into doubles rounds it; its
 * choice). NaN and infinities, which JSON cannot hold, stay strings.
 */

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|double|float|decimal)\b/i;
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function jsonValue(type: string, value: string | null): string {
  if (value === null) return 'null';
  if (NUMERIC.test(type) && JSON_NUMBER.test(value)) return value;
  if (/^boolean\b/i.test(type) && (value === 'true' || value === 'false')) return value;
  return JSON.stringify(value);
}

export function jsonRecords(
  columns: readonly { readonly name: string; readonly type: string }[],
  rows: readonly (readonly (string | null)[])[],
): string[] {
  return rows.map((row) =>
    jsonSafe(
      `{${columns.map((c, i) => `${JSON.stringify(c.name)}:${jsonValue(c.type, row[i] ?? null)}`).join(',')}}`,
    ),
  );
}
