import { createParser, LineParser, RejectCode } from '../formats';
import { LogType } from '../schemas';
import { TransformationSetting } from '../schemas/source-formats';
import { FIREHOSE } from '../shipper/limits';
import { LineResult, validateLine } from '../shipper/validate';
import { validateParsedLine } from '../shipper/validate-parsed';

/** The `line_id` source of every line the transformation reads (core/ingest/line-id.ts). */
export const FIREHOSE_SOURCE = 'firehose';

/**
 * Lines a source legitimately writes that are not records of ours: Boulder's
 * startup and audit lines, requests to other paths of a web server. They are
 * left out of the record; any other refusal fails the record whole.
 */
const NOT_OURS: readonly RejectCode[] = ['not_a_request', 'not_ocsp'];

/** Why a record failed: a parser's code, or one of the checks every line gets. */
export type FailureCode = RejectCode | 'invalid_record' | 'not_base64' | 'response_budget';

/** What one Firehose record becomes. */
export type RecordOutcome =
  | {
      readonly result: 'Ok';
      readonly stored: string;
      readonly records: number;
      readonly ignored: number;
    }
  | { readonly result: 'Dropped'; readonly ignored: number }
  | { readonly result: 'ProcessingFailed'; readonly code: FailureCode; readonly line: number };

/** The lines of one record, split on `\n` (a trailing `\r` dropped): packed or not. */
function* linesOf(data: Buffer): Generator<Buffer> {
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(0x0a, start);
    if (end === -1) end = data.length;
    let line = data.subarray(start, end);
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, -1);
    yield line;
    start = end + 1;
  }
}

const OPEN_BRACE = 0x7b;
const isJsonRecord = (line: Buffer) => {
  const first = line.findIndex((byte) => byte !== 0x20 && byte !== 0x09);
  return first !== -1 && line[first] === OPEN_BRACE;
};

/**
 * One line through the same validation `logvault ship` applies: logvault's
 * JSON records (a line starting with `{`) against the log type's schema, any
 * other line through the stream's source-format parser.
 */
function validate(
  type: LogType,
  parser: LineParser | undefined,
  line: Buffer,
  lineNo: number,
  context: { source: string; now: number; position: number },
): LineResult {
  const input = { lineNo, bytes: line };
  if (parser === undefined || isJsonRecord(line))
    return validateLine(type, input, FIREHOSE.maxRecordBytes, context);
  return validateParsedLine(type, parser, input, FIREHOSE.maxRecordBytes, context);
}

/**
 * Transforms one Firehose record of a `type` stream into stored records, one
 * per line (or per CertID), newline-terminated. A record is delivered whole
 * or fails whole (Firehose then writes the original to the stream's error
 * prefix, from where it can be fixed and sent again with the same ids): a
 * record that mixes log types, or holds a line that does not parse, is never
 * half-stored. `line_id` comes from the raw line and how many identical lines
 * came before it in this record; `arrivedAt` is the ingestion time for the
 * plausibility window.
 */
export function transformRecord(
  type: LogType,
  setting: TransformationSetting,
  data: Buffer,
  arrivedAt: number,
): RecordOutcome {
  // A fresh parser per record: a CloudFront #Fields: header applies to its own record only.
  const parser =
    setting.format === 'json' ? undefined : createParser(setting.format, setting.options);
  const seen = new Map<string, number>();
  const stored: string[] = [];
  let ignored = 0;
  let lineNo = 0;
  for (const line of linesOf(data)) {
    lineNo++;
    const key = line.toString('latin1');
    const position = seen.get(key) ?? 0;
    seen.set(key, position + 1);
    const context = { source: FIREHOSE_SOURCE, now: arrivedAt, position };
    const result = validate(type, parser, line, lineNo, context);
    if (result === undefined) continue;
    if ('accepted' in result) {
      stored.push(result.accepted.text);
      continue;
    }
    const { code } = result.rejected;
    if (code !== undefined && NOT_OURS.includes(code)) {
      ignored++;
      continue;
    }
    return { result: 'ProcessingFailed', code: code ?? 'invalid_record', line: lineNo };
  }
  if (stored.length === 0) return { result: 'Dropped', ignored };
  const text = stored.join('');
  return { result: 'Ok', stored: text, records: text.split('\n').length - 1, ignored };
}
