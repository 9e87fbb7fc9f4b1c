import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids';

/** Node hash names for the ESSCertIDv2 hash algorithms RFC 5816 allows. */
const HASHES: Record<string, string> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

interface CertId {
  readonly hash: string;
  readonly certHash: Uint8Array;
  readonly issuerSerial?: pkijs.IssuerSerial;
}

/**
 * The first ESSCertID(v2) of a SigningCertificate(V2) attribute value: the
 * one that names the signer (RFC 5035 §5.4; further entries only help path
 * building, and some TSAs send two). ESSCertIDv2's hash defaults to SHA-256,
 * ESSCertID's is always SHA-1.
 */
function firstCertId(value: asn1js.AsnType, v2: boolean): CertId | string {
  const certs =
    value instanceof asn1js.Sequence ? value.valueBlock.value[0] : (undefined as unknown);
  const id = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(id instanceof asn1js.Sequence)) return 'the attribute lists no certificate';
  const parts = [...id.valueBlock.value];
  let hash = v2 ? 'sha256' : 'sha1';
  if (v2 && parts[0] instanceof asn1js.Sequence) {
    const algorithm = new pkijs.AlgorithmIdentifier({ schema: parts.shift() });
    const name = HASHES[algorithm.algorithmId];
    if (name === undefined) return `hash algorithm ${algorithm.algorithmId} is not supported`;
    hash = name;
  }
  const certHash = parts.shift();
  if (!(certHash instanceof asn1js.OctetString)) return 'certHash is missing';
  const issuerSerial = parts.shift();
  return {
    hash,
    certHash: certHash.valueBlock.valueHexView,
    issuerSerial:
      issuerSerial === undefined ? undefined : new pkijs.IssuerSerial({ schema: issuerSerial }),
  };
}

export type EssBinding =
  | { readonly bound: true }
  | { readonly bound: false; readonly missing: boolean; readonly detail: string };

/**
 * Checks that the signed attributes bind the signer certificate (RFC 3161
 * §2.4.2 via RFC 2634/5035, RFC 5816): without this an attacker could swap
 * the certificate in the token for another one with the same key.
 */
export function checkEssBinding(
  signedAttrs: pkijs.SignedAndUnsignedAttributes,
  signer: pkijs.Certificate,
): EssBinding {
  const attribute =
    signedAttrs.attributes.find((a) => a.type === OID.signingCertificateV2) ??
    signedAttrs.attributes.find((a) => a.type === OID.signingCertificate);
  if (attribute === undefined || attribute.values.length !== 1)
    return { bound: false, missing: true, detail: 'no SigningCertificate(V2) signed attribute' };
  let id: CertId | string;
  try {
    id = firstCertId(attribute.values[0], attribute.type === OID.signingCertificateV2);
  } catch (error) {
    id = `unreadable: ${(error as Error).message}`;
  }
  if (typeof id === 'string') return { bound: false, missing: false, detail: id };
  const der = signer.toSchema().toBER();
  const actual = createHash(id.hash).update(new Uint8Array(der)).digest();
  if (!actual.equals(Buffer.from(id.certHash)))
    return {
      bound: false,
      missing: false,
      detail: `ESSCertID ${id.hash} hash ${Buffer.from(id.certHash).toString('hex')} is not the signer certificate's (${actual.toString('hex')})`,
    };
  if (id.issuerSerial !== undefined) {
    const name = id.issuerSerial.issuer.names[0];
    const sameIssuer =
      name?.type === 4 && (name.value as pkijs.RelativeDistinguishedNames).isEqual(signer.issuer);
    if (!sameIssuer || !id.issuerSerial.serialNumber.isEqual(signer.serialNumber))
      return {
        bound: false,
        missing: false,
        detail: 'ESSCertID issuerSerial names another certificate',
      };
  }
  return { bound: true };
}
