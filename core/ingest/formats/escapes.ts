/**
 * Undoes the escaping nginx (`escape=default`) and Apache apply inside quoted
 * log fields: `\"`, `\\` and `\xHH` for bytes outside printable ASCII. Bytes,
 * because a logged request body is binary DER.
 */
export function unescapeLogField(field: string): Buffer {
  if (!field.includes('\\')) return Buffer.from(field, 'latin1');
  const bytes: number[] = [];
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c === 0x5c && field[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(field.slice(i + 2, i + 4))) {
      bytes.push(parseInt(field.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (c === 0x5c && (field[i + 1] === '"' || field[i + 1] === '\\')) {
      bytes.push(field.charCodeAt(i + 1));
      i += 1;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

/** A user agent as logged (escaped bytes of UTF-8 text) back to text. */
export const unescapeLogText = (field: string) =>
  field.includes('\\') ? unescapeLogField(field).toString('utf8') : field;

/** `decodeURIComponent` that returns the input instead of throwing on a malformed escape. */
export function percentDecodedOrSelf(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
