/**
 * SQL literals for values that reach a query from outside (a day, an account
 * id, an IP). The runner takes SQL text only, so every value is quoted here
 * and nowhere else.
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
