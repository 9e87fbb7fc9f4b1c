/** One input line, or the marker of a line too long to hold in memory. */
export type InputLine =
  | { readonly lineNo: number; readonly bytes: Buffer }
  | { readonly lineNo: number; readonly oversizeBytes: number };

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines without ever holding more than `maxBytes`
 * of one line: the rest of a longer line is skipped and only its size is
 * reported, so a multi-gigabyte line without newlines cannot exhaust memory.
 * A trailing `\r` is dropped; the last line needs no newline.
 */
export async function* splitLines(
  source: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let oversize = 0;
  let lineNo = 0;
  const finish = (): InputLine => {
    lineNo++;
    if (oversize > 0) {
      const line = { lineNo, oversizeBytes: oversize };
      oversize = 0;
      return line;
    }
    let bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
    parts = [];
    held = 0;
    return { lineNo, bytes };
  };
  const take = (chunk: Buffer) => {
    if (oversize > 0) {
      oversize += chunk.length;
      return;
    }
    if (held + chunk.length > maxBytes) {
      oversize = held + chunk.length;
      parts = [];
      held = 0;
      return;
    }
    parts.push(chunk);
    held += chunk.length;
  };
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      take(chunk.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    if (start < chunk.length) take(Buffer.from(chunk.subarray(start)));
  }
  if (held > 0 || oversize > 0) yield finish();
}
