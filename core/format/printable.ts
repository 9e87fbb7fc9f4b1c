/**
 * Text from the data (or from a command line) made safe to print on a
 * terminal: every C0 and C1 control character, DEL, and the Unicode line and
 * paragraph separators become visible escapes (`\n`, `\r`, `\t`, `\x1b`,
 * `\u009b`). A log line can otherwise move the analyst's cursor, rewrite what
 * the terminal shows, or run a terminal escape sequence.
 */
// eslint-disable-next-line no-control-regex -- exactly what is made visible
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (named[c]) return named[c];
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** `text` quoted as a JSON string with the controls JSON leaves alone (DEL, C1, U+2028/9) escaped too. */
export function quoted(text: string): string {
  return jsonSafe(JSON.stringify(text));
}

/** JSON text with DEL, C1 controls and U+2028/U+2029 written as `\uXXXX`: still the same JSON value. */
export function jsonSafe(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
