import { z } from 'zod';
import { AcmeEventFields, acmeEventFields } from '../schemas/acme-event';
import { OcspRequestFields, ocspRequestFields } from '../schemas/ocsp-request';

/**
 * What one input line becomes. Every line yields stored records or a
 * rejection with its reason; only blank lines and a format's own header
 * lines (CloudFront `#Fields:`) are skipped.
 */

export type RejectCode =
  /** The line does not have the format's layout. */
  | 'unparseable'
  /** A Boulder line whose checksum does not match its message: corrupted. */
  | 'bad_checksum'
  /** The OCSP request (GET path or POST body) is not a DER OCSPRequest. */
  | 'undecodable_ocsp_request'
  /** An HTTP request that is not an OCSP request (other path or method). */
  | 'not_ocsp'
  /** A well-formed line of the source that is not a request (Boulder startup, audit events). */
  | 'not_a_request'
  /** The source did not log a value the stored record needs. */
  | 'missing_field'
  /** A value is present but outside what the stored schema accepts. */
  | 'invalid_field';

export type ParsedRecord =
  | { readonly logType: 'ocsp'; readonly record: OcspRequestFields }
  | { readonly logType: 'acme'; readonly record: AcmeEventFields };

export type LineOutcome =
  | { readonly kind: 'records'; readonly records: readonly ParsedRecord[] }
  | { readonly kind: 'rejected'; readonly code: RejectCode; readonly reason: string }
  | { readonly kind: 'skipped'; readonly reason: 'blank' | 'header' };

/** Parses the lines of one input, in order (a header line may change how later lines parse). */
export interface LineParser {
  parse(line: string): LineOutcome;
}

export const reject = (code: RejectCode, reason: string): LineOutcome => ({
  kind: 'rejected',
  code,
  reason,
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(record)'}: ${i.message}`)
    .join('; ');
}

/**
 * Checks built records against the stored schema, so nothing is stored that
 * the schema does not name: one invalid record rejects the line whole (a
 * multi-CertID request is stored entirely or not at all).
 */
export function storedOcsp(records: readonly unknown[]): LineOutcome {
  const parsed: ParsedRecord[] = [];
  for (const candidate of records) {
    const result = ocspRequestFields.safeParse(candidate);
    if (!result.success) return reject('invalid_field', describeIssues(result.error));
    parsed.push({ logType: 'ocsp', record: result.data });
  }
  return { kind: 'records', records: parsed };
}

export function storedAcme(candidate: unknown): LineOutcome {
  const result = acmeEventFields.safeParse(candidate);
  if (!result.success) return reject('invalid_field', describeIssues(result.error));
  return { kind: 'records', records: [{ logType: 'acme', record: result.data }] };
}
