import { printable } from './printable';

type Cell = string | number | null | undefined;

/** Splits text into lines of at most `width` characters, breaking at spaces where it can. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > width / 2 ? cut : width;
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  lines.push(rest);
  return lines;
}

/**
 * Renders rows as an aligned text table with a header rule. Cells longer than
 * `maxWidth` wrap onto continuation lines, so wide evidence stays readable.
 * Control characters in cells and headers are shown as escapes (`printable`):
 * cells often hold what a log line said.
 */
export function renderTable(headers: string[], rows: Cell[][], maxWidth = 60): string {
  const wrapped = rows.map((r) =>
    r.map((c) => wrap(c === null || c === undefined ? '' : printable(String(c)), maxWidth)),
  );
  const header = headers.map(printable);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...wrapped.flatMap((r) => (r[i] ?? ['']).map((l) => l.length))),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const body = wrapped.flatMap((r) => {
    const height = Math.max(...r.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => line(r.map((c) => c[k] ?? '')));
  });
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body].join('\n');
}
