import {
  BaseBlock,
  Constructed,
  fromBER,
  Integer,
  ObjectIdentifier,
  OctetString,
  Sequence,
} from 'asn1js';
import { HASH_HEX_LENGTH, HashAlgorithm } from '../schemas/hash';

/**
 * RFC 6960 OCSP requests read with asn1js's element tree (`fromBER`), walked
 * by hand against the RFC's ASN.1 module below. The schema-driven
 * @peculiar/asn1-ocsp classes decoded the same bytes 2-3x slower (object
 * mapping and schema comparison per element) and made a cold request cost
 * 10-18x a JSON line; the walk checks the same structure, element by element:
 *
 *   OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
 *   TBSRequest  ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1,
 *                              requestorName [1] EXPLICIT GeneralName OPTIONAL,
 *                              requestList SEQUENCE OF Request,
 *                              requestExtensions [2] EXPLICIT Extensions OPTIONAL }
 *   Request     ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
 *   CertID      ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
 *                              issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }
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
export const MAX_REQUEST_BYTES = 10_000;
/**
 * Bounds on the element tree of one request: a 10,000-byte request holds at
 * most ~150 CertIDs of ~8 elements; a signed request's certificates nest
 * about 12 deep.
 */
const BER_LIMITS = { maxDepth: 32, maxNodes: 4_000, parseEmbedded: false, copyInput: false };
const CONTEXT_CLASS = 3;

class Malformed extends Error {}

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

function isContextTag(element: BaseBlock | undefined, tagNumber: number): boolean {
  return (
    element instanceof Constructed &&
    element.idBlock.tagClass === CONTEXT_CLASS &&
    element.idBlock.tagNumber === tagNumber
  );
}

function children(element: BaseBlock | undefined, what: string): BaseBlock[] {
  if (!(element instanceof Sequence)) throw new Malformed(`${what} is not a SEQUENCE`);
  return element.valueBlock.value;
}

/** The elements of `sequence` from `start`, skipping the optional context tags in `optional`, in order. */
function skipOptional(elements: BaseBlock[], start: number, optional: readonly number[]): number {
  let at = start;
  for (const tag of optional) if (isContextTag(elements[at], tag)) at++;
  return at;
}

function expectEnd(elements: BaseBlock[], at: number, what: string): void {
  if (at !== elements.length) throw new Malformed(`${what} has unexpected trailing elements`);
}

/**
 * The serial as `openssl x509 -serial` prints it, lowercased: the integer's
 * magnitude in whole octets, without DER's leading sign octet. Boulder logs
 * the same (`%x` of the serial's bytes).
 */
function serialHex(content: Uint8Array): string {
  if (content.length === 0) throw new Malformed('empty serial number');
  if (content[0] & 0x80) throw new Malformed('negative serial number (RFC 5280 requires positive)');
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start++;
  if (content.length - start > MAX_SERIAL_OCTETS)
    throw new Malformed(`serial number of ${content.length - start} octets (RFC 5280 allows 20)`);
  return hex(content.subarray(start));
}

function octets(element: BaseBlock | undefined, what: string): Uint8Array {
  if (!(element instanceof OctetString) || element.idBlock.isConstructed)
    throw new Malformed(`${what} is not a primitive OCTET STRING`);
  return element.valueBlock.valueHexView;
}

function certIdOf(request: BaseBlock): CertId {
  const requestFields = children(request, 'Request');
  expectEnd(requestFields, skipOptional(requestFields, 1, [0]), 'Request');
  const [algorithm, nameHash, keyHash, serial, ...rest] = children(requestFields[0], 'CertID');
  expectEnd(rest, 0, 'CertID');
  const [oid] = children(algorithm, 'AlgorithmIdentifier');
  if (!(oid instanceof ObjectIdentifier)) throw new Malformed('hash algorithm is not an OID');
  const hashAlg = hashAlgorithmByOid[oid.getValue()];
  if (!hashAlg)
    throw new Malformed(`CertID hash algorithm ${oid.getValue()} is not SHA-1/256/384/512`);
  const issuerNameHash = hex(octets(nameHash, 'issuerNameHash'));
  const issuerKeyHash = hex(octets(keyHash, 'issuerKeyHash'));
  const digestLength = HASH_HEX_LENGTH[hashAlg];
  if (issuerKeyHash.length !== digestLength || issuerNameHash.length !== digestLength)
    throw new Malformed(`CertID issuer hashes are not ${hashAlg} digests`);
  if (!(serial instanceof Integer)) throw new Malformed('serialNumber is not an INTEGER');
  return {
    serial: serialHex(serial.valueBlock.valueHexView),
    issuerKeyHash,
    issuerNameHash,
    hashAlg,
  };
}

/** asn1js's tree of `der`; a plain Uint8Array view (not a Buffer) takes asn1js's fast path, uncopied. */
function elementTree(der: Uint8Array): ReturnType<typeof fromBER> {
  try {
    return fromBER(new Uint8Array(der.buffer, der.byteOffset, der.length), BER_LIMITS);
  } catch (error) {
    throw new Malformed(`asn1js: ${(error as Error).message}`);
  }
}

function requestList(der: Uint8Array): BaseBlock[] {
  const { offset, result } = elementTree(der);
  if (offset === -1 || result.error) throw new Malformed(result.error || 'truncated');
  if (offset !== der.length) throw new Malformed('trailing bytes after the OCSPRequest');
  const ocspRequest = children(result, 'OCSPRequest');
  expectEnd(ocspRequest, skipOptional(ocspRequest, 1, [0]), 'OCSPRequest');
  const tbsRequest = children(ocspRequest[0], 'TBSRequest');
  const listAt = skipOptional(tbsRequest, 0, [0, 1]);
  expectEnd(tbsRequest, skipOptional(tbsRequest, listAt + 1, [2]), 'TBSRequest');
  return children(tbsRequest[listAt], 'requestList');
}

/** The CertIDs of a DER OCSPRequest, one per certificate asked about, or why it is not one. */
export function decodeOcspRequest(der: Uint8Array): Decoded {
  if (der.length > MAX_REQUEST_BYTES)
    return { error: `request of ${der.length} bytes (more than ${MAX_REQUEST_BYTES})` };
  try {
    const certIds = requestList(der).map(certIdOf);
    if (certIds.length === 0) return { error: 'OCSPRequest asks about no certificate' };
    return { certIds };
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return { error: `not a DER OCSPRequest: ${error.message.slice(0, 120)}` };
  }
}
