import { z } from 'zod';
import { openEnvelope } from './boulder-envelope';
import { OCSP_REQUEST, ocspFromResponder } from './boulder-ocsp';
import { acmeFromWfe, WFE_REQUEST } from './boulder-wfe';
import { LineOutcome, LineParser, reject } from './outcome';

/**
 * Boulder's log lines (stdout, or behind rsyslog): WFE request lines become
 * ACME records, OCSP responder request lines OCSP records. `[AUDIT]`-tagged
 * lines are parsed like any other; an audit event that is not a request
 * (issuance, validation, revocation records) is rejected as `not_a_request`:
 * it belongs in the CA's audit archive, which no logvault table models.
 */

export const boulderOptions = z.strictObject({
  responderId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("responder_id of OCSP records (default: the line's host)"),
  region: z
    .string()
    .min(1)
    .max(32)
    .optional()
    .describe("region of OCSP records (default: the line's datacenter, where the layout has one)"),
  referenceTime: z
    .date()
    .optional()
    .describe('when the file was written, for RFC 3164 stamps that carry no year (default: now)'),
});
export type BoulderOptions = z.input<typeof boulderOptions>;

const AUDIT_TAG = '[AUDIT] ';

export function createBoulderParser(options: BoulderOptions = {}): LineParser {
  const parsed = boulderOptions.parse(options);
  const reference = parsed.referenceTime ?? new Date();
  const parse = (line: string): LineOutcome => {
    if (line.trim() === '') return { kind: 'skipped', reason: 'blank' };
    const envelope = openEnvelope(line, reference);
    if ('error' in envelope)
      return envelope.error === 'bad_checksum'
        ? reject('bad_checksum', 'checksum does not match the message: the line is corrupted')
        : reject('unparseable', 'not a Boulder log line (timestamp, program, checksum, message)');
    const message = envelope.message.startsWith(AUDIT_TAG)
      ? envelope.message.slice(AUDIT_TAG.length)
      : envelope.message;
    const wfe = WFE_REQUEST.exec(message);
    if (wfe) return acmeFromWfe(envelope, wfe);
    const ocsp = OCSP_REQUEST.exec(message);
    if (ocsp) return ocspFromResponder(envelope, ocsp[1], parsed);
    return reject(
      'not_a_request',
      `${envelope.program.slice(0, 32)} line is neither a WFE request nor an OCSP request`,
    );
  };
  return { parse };
}
