import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** PKIStatus values of RFC 3161 §2.4.2. */
const STATUS = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
] as const;

/** PKIFailureInfo bit names of RFC 3161 §2.4.2, by bit number. */
const FAILURE_BITS: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

export type TimeStampResponse =
  | { readonly granted: true; readonly status: string; readonly token: Uint8Array }
  | { readonly granted: false; readonly status: string; readonly detail: string };

/** A TSA answer that is not a TimeStampResp at all. */
export class TimeStampResponseError extends Error {}

function failureNames(bits: asn1js.BitString | undefined): string[] {
  if (bits === undefined) return [];
  const bytes = bits.valueBlock.valueHexView;
  const names: string[] = [];
  for (let bit = 0; bit < bytes.length * 8; bit++)
    if (bytes[bit >> 3] & (0x80 >> (bit & 7))) names.push(FAILURE_BITS[bit] ?? `bit ${bit}`);
  return names;
}

/**
 * Parses a TimeStampResp (RFC 3161 §2.4.2). A granted response yields the
 * TimeStampToken exactly as the TSA encoded it (its signature covers those
 * bytes); anything else yields the status, failure bits and status text.
 * Throws TimeStampResponseError when the bytes are no TimeStampResp.
 */
export function parseTimeStampResponse(der: Uint8Array): TimeStampResponse {
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1 || asn1.offset !== der.length || !(asn1.result instanceof asn1js.Sequence))
    throw new TimeStampResponseError('the TSA answer is not a DER TimeStampResp');
  let response: pkijs.TimeStampResp;
  try {
    response = new pkijs.TimeStampResp({ schema: asn1.result });
  } catch (error) {
    throw new TimeStampResponseError(`not a TimeStampResp: ${(error as Error).message}`);
  }
  const code = response.status.status;
  const status = STATUS[code] ?? `status ${code}`;
  if ((code === 0 || code === 1) && response.timeStampToken !== undefined) {
    const token = asn1.result.valueBlock.value[1];
    return { granted: true, status, token: new Uint8Array(token.valueBeforeDecodeView) };
  }
  const text = (response.status.statusStrings ?? []).map((s) => s.valueBlock.value).join('; ');
  const failures = failureNames(response.status.failInfo);
  const detail = [
    `TSA answered ${status}`,
    failures.length > 0 ? `failure ${failures.join(', ')}` : undefined,
    text ? `"${text}"` : undefined,
    code <= 1 ? 'without a token' : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(': ');
  return { granted: false, status, detail };
}
