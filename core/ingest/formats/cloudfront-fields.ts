import { z } from 'zod';
import { percentDecodedOrSelf } from './escapes';
import { HttpExchange, httpSourceOptions, ocspFromHttp } from './http-ocsp';
import { LineOutcome, reject } from './outcome';

/**
 * What CloudFront's standard and real-time logs share: tab-separated fields,
 * `-` for an empty value, URL-encoded user agents, the edge location that
 * answered. CloudFront logs no request bodies, so POST requests are rejected
 * as missing their body.
 */

/** CloudFront is global: the region a record is filed under must be given. */
export const cloudfrontOptions = httpSourceOptions.extend({
  region: httpSourceOptions.shape.region
    .unwrap()
    .describe('region for every record (CloudFront is global), e.g. global or us-east-1'),
});

/** Field names of the two log kinds that feed an OCSP record. */
export interface FieldNames {
  readonly userAgent: string;
}

/** The value of each named field of one line; `-` becomes undefined. */
export type Fields = ReadonlyMap<string, string | undefined>;

export function fieldsOf(names: readonly string[], line: string): Fields | LineOutcome {
  const values = line.split('\t');
  if (values.length !== names.length)
    return reject(
      'unparseable',
      `line has ${values.length} fields, the field list ${names.length}`,
    );
  return new Map(names.map((name, i) => [name, values[i] === '-' ? undefined : values[i]]));
}

const number = (text: string | undefined) =>
  text === undefined || !/^\d+(\.\d+)?$/.test(text) ? null : Number(text);

/** Builds the exchange once the caller has found the time, or says which field is missing. */
export function ocspFromFields(
  fields: Fields,
  ts: string,
  names: FieldNames,
  options: z.output<typeof cloudfrontOptions>,
): LineOutcome {
  const required = ['c-ip', 'cs-method', 'cs-uri-stem', 'sc-status'];
  const missing = required.filter((name) => fields.get(name) === undefined);
  if (missing.length > 0)
    return reject(
      'missing_field',
      `no value for ${missing.join(', ')}: add them to the log fields`,
    );
  const seconds = number(fields.get('time-taken'));
  const exchange: HttpExchange = {
    ts,
    clientIp: fields.get('c-ip')!,
    method: fields.get('cs-method')!,
    path: fields.get('cs-uri-stem')!,
    body: undefined,
    userAgent: percentDecodedOrSelf(fields.get(names.userAgent) ?? ''),
    answeredWithError: Number(fields.get('sc-status')) >= 400,
    bytes: number(fields.get('sc-bytes')),
    latencyMs: seconds === null ? null : Math.round(seconds * 1000),
    responderId: fields.get('x-edge-location'),
  };
  return ocspFromHttp(exchange, options);
}
