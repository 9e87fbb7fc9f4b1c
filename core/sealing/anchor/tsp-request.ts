import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids';

export interface TimeStampRequest {
  /** DER TimeStampReq, the body of an `application/timestamp-query` POST. */
  readonly der: Uint8Array;
  /** Lowercase hex of the nonce the response must echo. */
  readonly nonce: string;
}

/** Lowercase hex of an INTEGER's value without leading zero bytes, for comparing nonces. */
export function integerHex(value: asn1js.Integer): string {
  return Buffer.from(value.valueBlock.valueHexView)
    .toString('hex')
    .replace(/^(00)+(?=.)/, '');
}

/**
 * A TimeStampReq (RFC 3161 §2.4.1) for a SHA-256 hash: version 1, a random
 * 62-bit nonce against replayed responses, and certReq so the token carries
 * the TSA certificate that the ESSCertID binds and the verifier chains.
 */
export function timeStampRequest(sha256: Uint8Array): TimeStampRequest {
  if (sha256.length !== 32) throw new Error(`a SHA-256 hash has 32 bytes, got ${sha256.length}`);
  const nonceBytes = randomBytes(8);
  // First byte 0x40-0x7f: a positive INTEGER whose encoding is already minimal DER.
  nonceBytes[0] = (nonceBytes[0] & 0x3f) | 0x40;
  const nonce = new asn1js.Integer({ valueHex: nonceBytes });
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: OID.sha256,
        algorithmParams: new asn1js.Null(),
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: sha256 }),
    }),
    nonce,
    certReq: true,
  });
  return {
    der: new Uint8Array(request.toSchema().toBER()),
    nonce: integerHex(nonce),
  };
}
