import { z } from 'zod';
import { cloudfrontOptions, Fields, fieldsOf, ocspFromFields } from './cloudfront-fields';
import { LineOutcome, LineParser, reject } from './outcome';

/**
 * CloudFront standard logs (legacy and v2 W3C): `#Version:` and `#Fields:`
 * header lines, then one tab-separated line per request, UTC `date` and
 * `time`. The latest `#Fields:` header decides the columns; before any, the
 * documented default field list applies.
 */

export type CloudfrontStandardOptions = z.input<typeof cloudfrontOptions>;

/** The fields of a standard log, in order, as AWS documents them (legacy, 33 fields). */
export const DEFAULT_STANDARD_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'cs-uri-query',
  'cs(Cookie)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}$/;

function timestamp(fields: Fields): string | undefined {
  const date = fields.get('date');
  const time = fields.get('time');
  if (!date || !time || !DATE.test(date) || !TIME.test(time)) return undefined;
  const ms = Date.parse(`${date}T${time}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function createCloudfrontStandardParser(options: CloudfrontStandardOptions): LineParser {
  const parsed = cloudfrontOptions.parse(options);
  let names: readonly string[] = DEFAULT_STANDARD_FIELDS;
  const parse = (line: string): LineOutcome => {
    if (line.trim() === '') return { kind: 'skipped', reason: 'blank' };
    if (line.startsWith('#Fields:')) {
      names = line.slice('#Fields:'.length).trim().split(/\s+/);
      return { kind: 'skipped', reason: 'header' };
    }
    if (line.startsWith('#')) return { kind: 'skipped', reason: 'header' };
    const fields = fieldsOf(names, line);
    if ('kind' in fields) return fields;
    const ts = timestamp(fields);
    if (!ts) return reject('missing_field', 'date / time: absent or not yyyy-mm-dd / hh:mm:ss');
    return ocspFromFields(fields, ts, { userAgent: 'cs(User-Agent)' }, parsed);
  };
  return { parse };
}
