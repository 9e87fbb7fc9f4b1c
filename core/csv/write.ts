/** RFC 4180 CSV: CRLF line ends, fields quoted only when they need it, NULL as an empty field. */
export function toCsv(header: string[], rows: (string | null)[][]): string {
  const field = (value: string | null) =>
    value === null ? '' : /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return [header, ...rows].map((row) => row.map(field).join(',') + '\r\n').join('');
}
