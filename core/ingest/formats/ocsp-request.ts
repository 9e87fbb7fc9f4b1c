import { AsnConvert } from '@peculiar/asn1-schema';
import { OCSPRequest } from '@peculiar/asn1-ocsp';
import { HASH_HEX_LENGTH, HashAlgorithm } from '../schemas/hash';

/**
 * RFC 6960 OCSP requests, decoded with @peculiar/asn1-ocsp (the RFC's ASN.1
 * module as a schema; DER is read by asn1js). A request may ask about several
 * certificates: each CertID becomes one stored record.
 */

export interface CertId {
  readonly serial: string;
  readonly issuerKeyHash: string;
  readonly issuerNameHash: string;
  readonly hashAlg: HashAlgorithm;
}

export type Decoded = { readonly certIds: readonly CertId[] } | { readonly error: string };

const hashAlgorithmByOid: Record<string, HashAlgorithm> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** RFC 5280 caps serials at 20 octets; the stored column holds 40 hex characters. */
const MAX_SERIAL_OCTETS = 20;
/** Boulder's responder reads at most 10,000 bytes of a POST body; a CertID list this long is abuse. */
const MAX_REQUEST_BYTES = 10_000;

const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as ArrayBuffer).toString('hex');

/**
 * The serial as `openssl x509 -serial` prints it, lowercased: the integer's
 * magnitude in whole octets, without DER's leading sign octet. Boulder logs
 * the same (`%x` of the serial's bytes).
 */
function serialHex(content: Uint8Array): string | { error: string } {
  if (content.length === 0) return { error: 'empty serial number' };
  if (content[0] & 0x80) return { error: 'negative serial number (RFC 5280 requires positive)' };
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start++;
  if (content.length - start > MAX_SERIAL_OCTETS)
    return { error: `serial number of ${content.length - start} octets (RFC 5280 allows 20)` };
  return hex(content.subarray(start));
}

function decodeUncached(der: Buffer): Decoded {
  if (der.length > MAX_REQUEST_BYTES)
    return { error: `request of ${der.length} bytes (more than ${MAX_REQUEST_BYTES})` };
  let request: OCSPRequest;
  try {
    request = AsnConvert.parse(der, OCSPRequest);
  } catch (error) {
    return { error: `not a DER OCSPRequest: ${(error as Error).message.slice(0, 120)}` };
  }
  const certIds: CertId[] = [];
  for (const { reqCert } of request.tbsRequest.requestList) {
    const oid = reqCert.hashAlgorithm.algorithm;
    const hashAlg = hashAlgorithmByOid[oid];
    if (!hashAlg) return { error: `CertID hash algorithm ${oid} is not SHA-1/256/384/512` };
    const issuerKeyHash = hex(reqCert.issuerKeyHash.buffer);
    const issuerNameHash = hex(reqCert.issuerNameHash.buffer);
    const digestLength = HASH_HEX_LENGTH[hashAlg];
    if (issuerKeyHash.length !== digestLength || issuerNameHash.length !== digestLength)
      return { error: `CertID issuer hashes are not ${hashAlg} digests` };
    const serial = serialHex(new Uint8Array(reqCert.serialNumber));
    if (typeof serial !== 'string') return serial;
    certIds.push({ serial, issuerKeyHash, issuerNameHash, hashAlg });
  }
  if (certIds.length === 0) return { error: 'OCSPRequest asks about no certificate' };
  return { certIds };
}

/**
 * Real OCSP traffic repeats: a certificate's GET URL is the same for every
 * client (RFC 5019 made GET cacheable for that), so decoded requests are
 * memoised by their base64 form in a bounded map, cleared when full.
 */
const cache = new Map<string, Decoded>();
const CACHE_MAX = 50_000;

function decodeBase64Memo(base64: string): Decoded {
  let decoded = cache.get(base64);
  if (!decoded) {
    decoded = decodeUncached(Buffer.from(base64, 'base64'));
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(base64, decoded);
  }
  return decoded;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const MAX_PERCENT_DECODING_ROUNDS = 3;

/** Undoes URL escaping; base64 has no `%`, so a `%` left after one round means double escaping. */
function percentDecoded(text: string): string | undefined {
  let decoded = text;
  for (let round = 0; round < MAX_PERCENT_DECODING_ROUNDS && decoded.includes('%'); round++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return undefined;
    }
  }
  return decoded;
}

/**
 * The OCSP request carried by a GET path (the part after the responder's
 * prefix): base64 of the DER, URL-escaped or not, perhaps behind an extra
 * `/` from a client that joined URL and request naively. A `+` turned into a
 * space by form decoding is turned back, as Boulder's responder does.
 * Returns undefined when the path is not base64 at all (not an OCSP request).
 */
export function decodeGetPath(path: string): Decoded | undefined {
  const unescaped = percentDecoded(path);
  if (unescaped === undefined) return undefined;
  const base64 = unescaped.replace(/ /g, '+').replace(/^\//, '');
  if (BASE64.test(base64)) return decodeBase64Memo(base64);
  if (BASE64URL.test(base64)) return decodeBase64Memo(base64.replace(/-/g, '+').replace(/_/g, '/'));
  return undefined;
}

/** The OCSP request in a POST body (raw DER bytes). */
export function decodeBody(body: Buffer): Decoded {
  return decodeBase64Memo(body.toString('base64'));
}
