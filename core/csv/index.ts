/**
 * CSV, RFC 4180, written and read in one place: the published dataset, the
 * query CLI, S3 Batch Operations manifests and completion reports.
 */

export type CsvField = string | null;

/** One record: fields quoted only when they need it, NULL as an empty field. */
export function csvRecord(fields: readonly CsvField[]): string {
  return fields
    .map((value) =>
      value === null ? '' : /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value,
    )
    .join(',');
}

/**
 * A header and rows, every record ended by `lineEnd`: CRLF as RFC 4180 says
 * (the published dataset), LF where the reader expects it (S3 Batch Operations).
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvField[])[],
  lineEnd: '\r\n' | '\n' = '\r\n',
): string {
  return [header, ...rows].map((row) => csvRecord(row) + lineEnd).join('');
}

/**
 * The records of a CSV text, in order. Quoted fields may hold commas, quotes
 * and line breaks; a blank line is a record of one empty field.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endField();
      records.push(record);
      record = [];
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}

/** Whether a parsed record is a blank line. */
export const isBlankRecord = (record: readonly string[]) => record.length === 1 && record[0] === '';
