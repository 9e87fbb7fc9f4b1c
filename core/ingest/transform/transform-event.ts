import { LogType, logTypeNames } from '../schemas';
export type { TransformationSettings };
import { TransformationSettings } from '../schemas/source-formats';
import { logTypeOfStageStream } from '../../naming';
import { logTypeOfStream } from '../stream-fit';
import {
  FirehoseTransformationEvent,
  FirehoseTransformationResponse,
  MAX_RESPONSE_BYTES,
  TransformedRecord,
  recordBytes,
  streamNameOfArn,
} from './firehose-event';
import { FailureCode, RecordOutcome, transformRecord } from './transform-record';

/** What one invocation did, in counts only: never record contents (they are personal data). */
export interface TransformationSummary {
  readonly stream: string;
  readonly logType: LogType | undefined;
  readonly ok: number;
  readonly dropped: number;
  readonly failed: number;
  /** Stored records delivered (an OCSP request naming several certificates is several). */
  readonly storedRecords: number;
  /** Lines left out as not ours (Boulder startup lines, other HTTP paths). */
  readonly ignoredLines: number;
  /** Failed records per reason. */
  readonly failures: Partial<Record<FailureCode | 'stream_type', number>>;
}

/** Bytes a record's answer adds to the response JSON, `data` included. */
const answerBytes = (recordId: string, data: string) =>
  Buffer.byteLength(JSON.stringify({ recordId, result: 'ProcessingFailed', data })) + 1;

/**
 * The log type of the stream, by name. With `stage` (the deployed function)
 * only the stage's own streams, `logvault-<stage>-<type>-<n>`, have one: those
 * deliver where logvault built them to, while a stream of any other name
 * that attaches the function may deliver anywhere (issue 18), so its records
 * fail to its error prefix rather than be parsed as the type its name claims.
 */
function streamType(stream: string, stage: string | undefined): LogType | undefined {
  const named = stage === undefined ? logTypeOfStream(stream) : logTypeOfStageStream(stage, stream);
  return logTypeNames.find((type) => type === named);
}

/**
 * Why every record of the stream fails, or undefined: the stream's name must
 * say its log type (the server side of the stream-fit check), and that type
 * must have a transformation setting.
 */
function streamProblem(logType: LogType | undefined, settings: TransformationSettings) {
  if (logType === undefined) return "the stream is not one of the stage's streams of a log type";
  if (settings[logType] === undefined) return `no transformation is set for ${logType} streams`;
  return undefined;
}

/**
 * Answers one Firehose invocation: every record transformed (transformRecord),
 * in Firehose's response format. The answer stays under Lambda's 6 MB
 * response limit whatever the records expand to: room is kept for every
 * remaining record to fail with its original data, and a record whose
 * stored form no longer fits fails instead (to the error prefix, whole).
 */
export function transformEvent(
  event: FirehoseTransformationEvent,
  settings: TransformationSettings,
  limit = MAX_RESPONSE_BYTES,
  stage?: string,
): { response: FirehoseTransformationResponse; summary: TransformationSummary } {
  const stream = streamNameOfArn(event.deliveryStreamArn);
  const logType = streamType(stream, stage);
  const problem = streamProblem(logType, settings);
  const counts = { ok: 0, dropped: 0, failed: 0, storedRecords: 0, ignoredLines: 0 };
  const failures: Record<string, number> = {};
  const fail = (recordId: string, data: string, code: FailureCode | 'stream_type') => {
    counts.failed++;
    failures[code] = (failures[code] ?? 0) + 1;
    return { recordId, result: 'ProcessingFailed' as const, data };
  };
  let reserved = event.records.reduce((sum, r) => sum + answerBytes(r.recordId, r.data), 16);
  const records: TransformedRecord[] = event.records.map((record) => {
    reserved -= answerBytes(record.recordId, record.data);
    const bytes = recordBytes(record);
    const outcome: RecordOutcome | undefined =
      problem !== undefined || bytes === undefined
        ? undefined
        : transformRecord(logType!, settings[logType!]!, bytes, record.approximateArrivalTimestamp);
    let answer: TransformedRecord;
    if (problem !== undefined) answer = fail(record.recordId, record.data, 'stream_type');
    else if (outcome === undefined) answer = fail(record.recordId, record.data, 'not_base64');
    else if (outcome.result === 'ProcessingFailed')
      answer = fail(record.recordId, record.data, outcome.code);
    else if (outcome.result === 'Dropped') {
      counts.dropped++;
      counts.ignoredLines += outcome.ignored;
      answer = { recordId: record.recordId, result: 'Dropped', data: '' };
    } else {
      const data = Buffer.from(outcome.stored).toString('base64');
      if (reserved + answerBytes(record.recordId, data) > limit)
        answer = fail(record.recordId, record.data, 'response_budget');
      else {
        counts.ok++;
        counts.storedRecords += outcome.records;
        counts.ignoredLines += outcome.ignored;
        answer = { recordId: record.recordId, result: 'Ok', data };
      }
    }
    reserved += answerBytes(answer.recordId, answer.data);
    return answer;
  });
  return {
    response: { records },
    summary: { stream, logType, ...counts, failures },
  };
}
