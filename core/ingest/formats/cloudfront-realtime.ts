import { z } from 'zod';
import { cloudfrontOptions, fieldsOf, ocspFromFields } from './cloudfront-fields';
import { LineOutcome, LineParser, reject } from './outcome';

/**
 * CloudFront real-time log records (as Kinesis Data Streams delivers them):
 * tab-separated values of the fields chosen in the real-time log
 * configuration, no header, `timestamp` in Unix seconds with milliseconds.
 */

export const cloudfrontRealtimeOptions = cloudfrontOptions.extend({
  fields: z
    .array(z.string().min(1))
    .min(1)
    .refine((f) => f.includes('timestamp'), { message: 'must include timestamp' })
    .describe("the real-time log configuration's field names, in record order"),
});
export type CloudfrontRealtimeOptions = z.input<typeof cloudfrontRealtimeOptions>;

const EPOCH_SECONDS = /^\d{9,11}(\.\d{1,3})?$/;

export function createCloudfrontRealtimeParser(options: CloudfrontRealtimeOptions): LineParser {
  const parsed = cloudfrontRealtimeOptions.parse(options);
  const parse = (line: string): LineOutcome => {
    if (line.trim() === '') return { kind: 'skipped', reason: 'blank' };
    const fields = fieldsOf(parsed.fields, line);
    if ('kind' in fields) return fields;
    const epoch = fields.get('timestamp');
    if (!epoch || !EPOCH_SECONDS.test(epoch))
      return reject('missing_field', 'timestamp: absent or not Unix seconds (1605225600.123)');
    const ts = new Date(Math.round(Number(epoch) * 1000)).toISOString();
    return ocspFromFields(fields, ts, { userAgent: 'cs-user-agent' }, parsed);
  };
  return { parse };
}
