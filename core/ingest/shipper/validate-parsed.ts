import { implausibleTimestamp } from '../../time/plausibility';
import { LineParser, ParsedRecord } from '../formats';
import { lineIdOf } from '../line-id';
import { LogType } from '../schemas';
import { InputLine } from './lines';
import { decodeLine, LineContext, LineResult, rejectedLine } from './validate';

/**
 * Why one parsed record of a line cannot be shipped as `type`, or undefined.
 * A record of the other log type (a Boulder file holds both) goes to the
 * reject file, not to a stream of another retention class.
 */
function recordProblem(type: LogType, parsed: ParsedRecord, now: number): string | undefined {
  if (parsed.logType !== type)
    return (
      `${parsed.logType} record, and this run ships ${type} records: ship the file again ` +
      `with --type ${parsed.logType} to a ${parsed.logType} stream`
    );
  return implausibleTimestamp(type, parsed.record.ts, now);
}

/**
 * Validates one line of a non-JSON source (`logvault ship --format`): the
 * format's parser builds the stored records (checked against the stored
 * schema), then each passes the same checks as a JSON line: its log type,
 * the plausibility window, a `line_id` from (source, line number, raw bytes,
 * ordinal of the record in the line), the record size limit. A line is
 * shipped whole or rejected whole; a rejected ACME line is kept whole in the
 * reject file so no event is lost. Blank and header lines return undefined.
 */
export function validateParsedLine(
  type: LogType,
  parser: LineParser,
  line: InputLine,
  maxBytes: number,
  context: LineContext,
): LineResult {
  const { lineNo } = line;
  const decoded = decodeLine(line, maxBytes);
  if (decoded === undefined || 'rejected' in decoded) return decoded;
  const { text } = decoded;
  const outcome = parser.parse(text);
  if (outcome.kind === 'skipped') return undefined;
  if (outcome.kind === 'rejected')
    return {
      rejected: {
        ...rejectedLine(lineNo, `${outcome.code}: ${outcome.reason}`, text),
        code: outcome.code,
      },
    };
  const position = context.position ?? lineNo;
  const origin = { source: context.source, position, bytes: decoded.bytes };
  const stored: string[] = [];
  for (const [ordinal, parsed] of outcome.records.entries()) {
    const problem = recordProblem(type, parsed, context.now);
    if (problem !== undefined) {
      const keepWhole = parsed.logType === 'acme';
      return {
        rejected: keepWhole
          ? { lineNo, reason: problem, input: text }
          : rejectedLine(lineNo, problem, text),
      };
    }
    stored.push(JSON.stringify({ ...parsed.record, line_id: lineIdOf(origin, ordinal) }) + '\n');
  }
  const joined = stored.join('');
  const bytes = Buffer.byteLength(joined);
  if (bytes > maxBytes)
    return {
      rejected: rejectedLine(
        lineNo,
        `stored records are ${bytes} bytes, more than the ${maxBytes} a record can hold`,
        text,
      ),
    };
  return { accepted: { lineNo, text: joined } };
}
