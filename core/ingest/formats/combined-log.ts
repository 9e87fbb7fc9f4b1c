import { z } from 'zod';
import { unescapeLogField, unescapeLogText } from './escapes';
import { httpSourceOptions, ocspFromHttp } from './http-ocsp';
import { LineOutcome, LineParser, reject } from './outcome';

/**
 * nginx / Apache "combined" access log lines in front of an OCSP responder:
 *
 *   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
 *
 * optionally followed by the fields logvault's recommended format adds
 * (docs/formats.md): `rt=$request_time` (seconds) and `body="$request_body"`,
 * the POST body with nginx's `\xHH` escaping.
 */

export const combinedOptions = httpSourceOptions.extend({
  responderId: httpSourceOptions.shape.responderId
    .unwrap()
    .describe('responder_id for every record, e.g. the web server host name'),
  region: httpSourceOptions.shape.region
    .unwrap()
    .describe('region for every record, e.g. eu-west-1'),
});
export type CombinedOptions = z.input<typeof combinedOptions>;

const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const LINE = new RegExp(
  `^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] ${QUOTED} (\\d{3}) (\\d+|-) ${QUOTED} ${QUOTED}(.*)$`,
);
const REQUEST_TIME = / rt=(\d+(?:\.\d+)?)(?= |$)/;
const BODY = new RegExp(` body=${QUOTED}`);
const TIME_LOCAL =
  /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `28/Nov/2026:10:00:00 +0100` as ISO 8601 UTC, or undefined. */
export function timeLocalToIso(text: string): string | undefined {
  const m = TIME_LOCAL.exec(text);
  const month = m ? MONTHS.indexOf(m[2]) : -1;
  if (!m || month < 0) return undefined;
  const offsetMinutes = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const utc = Date.UTC(+m[3], month, +m[1], +m[4], +m[5], +m[6]) - offsetMinutes * 60_000;
  return Number.isNaN(utc) ? undefined : new Date(utc).toISOString();
}

function parseLine(line: string, options: z.output<typeof combinedOptions>): LineOutcome {
  const m = LINE.exec(line);
  if (!m) return reject('unparseable', 'not a combined log line');
  const [, clientIp, timeLocal, request, status, bytes, , userAgent, extra] = m;
  const ts = timeLocalToIso(timeLocal);
  if (!ts) return reject('unparseable', 'time is not [dd/Mon/yyyy:hh:mm:ss +zzzz]');
  const [method, target] = request.split(' ');
  if (!target) return reject('unparseable', 'request is not "METHOD /path PROTOCOL"');
  const requestTime = REQUEST_TIME.exec(extra);
  const body = BODY.exec(extra);
  return ocspFromHttp(
    {
      ts,
      clientIp,
      method,
      path: target.split('?')[0],
      body: body && body[1] !== '-' ? unescapeLogField(body[1]) : undefined,
      userAgent: unescapeLogText(userAgent),
      answeredWithError: Number(status) >= 400,
      bytes: bytes === '-' ? 0 : Number(bytes),
      latencyMs: requestTime ? Math.round(Number(requestTime[1]) * 1000) : null,
    },
    options,
  );
}

export function createCombinedParser(options: CombinedOptions): LineParser {
  const parsed = combinedOptions.parse(options);
  return {
    parse: (line) =>
      line.trim() === '' ? { kind: 'skipped', reason: 'blank' } : parseLine(line, parsed),
  };
}
