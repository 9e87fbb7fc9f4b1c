import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { checkEssBinding } from './ess';
import { certificateFingerprint } from './fingerprint';
import { OID } from './oids';
import { integerHex } from './tsp-request';
import { TsaTrust } from './tsa-trust';

export const tokenRejections = [
  /** Not a DER CMS SignedData carrying one TSTInfo. */
  'malformed-token',
  /** The token does not carry the certificate of its signer (request it with certReq). */
  'no-signer-certificate',
  /** A digest or signature algorithm this verifier does not accept. */
  'unsupported-algorithm',
  /** Signed attributes, message digest or CMS signature do not verify: the token was altered. */
  'bad-signature',
  /** No SigningCertificate(V2) attribute binds the signer certificate. */
  'certificate-binding-missing',
  /** The ESSCertID(v2) names another certificate than the one that verifies the signature. */
  'certificate-binding-mismatch',
  /** The signer certificate lacks a critical extendedKeyUsage of only id-kp-timeStamping. */
  'missing-timestamping-eku',
  /** The signer certificate does not chain to a pinned TSA root at genTime. */
  'untrusted-tsa',
  /** The token timestamps another hash than the one expected. */
  'imprint-mismatch',
  /** The token answers another request (its nonce differs). */
  'nonce-mismatch',
  /** genTime lies in the future: the TSA clock or the token is wrong. */
  'gen-time-in-future',
] as const;
export type TokenRejection = (typeof tokenRejections)[number];

export type TokenVerdict =
  | {
      readonly ok: true;
      readonly genTime: Date;
      /** The TSA's serial number of the token, lowercase hex. */
      readonly serialNumber: string;
      readonly policy: string;
      /** Name of the pinned TSA whose root the signer chains to. */
      readonly tsa: string;
      /** SHA-256 of the signer certificate's DER. */
      readonly signerCertificate: string;
    }
  | { readonly ok: false; readonly reason: TokenRejection; readonly detail: string };

export interface ExpectedToken {
  /** The SHA-256 the token must timestamp. */
  readonly sha256: Uint8Array;
  /** The nonce of the request, when checking a fresh response. */
  readonly nonce?: string;
}

/** Allowed skew between the TSA's clock and ours. */
const CLOCK_SKEW_MS = 5 * 60_000;
const DIGESTS: Record<string, string> = {
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

class Rejected extends Error {
  constructor(
    readonly reason: TokenRejection,
    readonly detail: string,
  ) {
    super(detail);
  }
}

interface ParsedToken {
  readonly signed: pkijs.SignedData;
  readonly signerInfo: pkijs.SignerInfo;
  readonly signedAttrs: pkijs.SignedAndUnsignedAttributes;
  readonly eContent: Uint8Array;
  readonly tstInfo: pkijs.TSTInfo;
}

function parseToken(der: Uint8Array): ParsedToken {
  try {
    const asn1 = asn1js.fromBER(der);
    if (asn1.offset !== der.length) throw new Error('trailing or missing bytes');
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType !== OID.signedData) throw new Error('not CMS SignedData');
    const signed = new pkijs.SignedData({ schema: info.content });
    if (signed.encapContentInfo.eContentType !== OID.tstInfo)
      throw new Error('content is not a TSTInfo');
    if (signed.signerInfos.length !== 1)
      throw new Error(`${signed.signerInfos.length} signers, RFC 3161 allows one`);
    const signerInfo = signed.signerInfos[0];
    if (!signerInfo.signedAttrs) throw new Error('no signed attributes');
    const eContent = new Uint8Array(signed.encapContentInfo.eContent!.getValue());
    return {
      signed,
      signerInfo,
      signedAttrs: signerInfo.signedAttrs,
      eContent,
      tstInfo: pkijs.TSTInfo.fromBER(eContent),
    };
  } catch (error) {
    throw new Rejected(
      'malformed-token',
      `not an RFC 3161 TimeStampToken: ${(error as Error).message}`,
    );
  }
}

/** The SubjectKeyIdentifier a certificate declares, else RFC 5280's method 1 (SHA-1 of the key). */
function keyIdentifier(certificate: pkijs.Certificate): Buffer {
  const ski = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  if (ski?.parsedValue instanceof asn1js.OctetString)
    return Buffer.from(ski.parsedValue.valueBlock.valueHexView);
  const key = certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  return createHash('sha1').update(key).digest();
}

/** The certificate the SignerInfo names, by issuer and serial or by subject key identifier. */
function findSigner(parsed: ParsedToken): pkijs.Certificate {
  const certificates = (parsed.signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const sid = parsed.signerInfo.sid;
  const signer =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certificates.find(
          (c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber),
        )
      : certificates.find((c) => keyIdentifier(c).equals(subjectKeyIdOf(sid)));
  if (signer === undefined)
    throw new Rejected(
      'no-signer-certificate',
      'the token does not include the TSA certificate that signed it',
    );
  return signer;
}

/** SignerIdentifier [0] SubjectKeyIdentifier, as pkijs leaves it: implicit or wrapped. */
function subjectKeyIdOf(sid: asn1js.AsnType): Buffer {
  const block = sid as asn1js.Constructed & asn1js.OctetString;
  return Buffer.from(
    block.idBlock.isConstructed
      ? (block.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView
      : block.valueBlock.valueHexView,
  );
}

/** content-type and message-digest attributes, then the CMS signature over the signed attributes. */
async function checkSignature(parsed: ParsedToken, signer: pkijs.Certificate): Promise<void> {
  const { signerInfo, signedAttrs } = parsed;
  const hash = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (hash === undefined)
    throw new Rejected(
      'unsupported-algorithm',
      `digest algorithm ${signerInfo.digestAlgorithm.algorithmId}`,
    );
  const attribute = (type: string) =>
    signedAttrs.attributes.find((a) => a.type === type)?.values[0];
  const contentType = attribute(OID.contentTypeAttribute);
  if (
    !(contentType instanceof asn1js.ObjectIdentifier) ||
    contentType.valueBlock.toString() !== OID.tstInfo
  )
    throw new Rejected('bad-signature', 'the signed content-type attribute is not id-ct-TSTInfo');
  const digest = attribute(OID.messageDigestAttribute);
  const actual = createHash(hash).update(parsed.eContent).digest();
  if (
    !(digest instanceof asn1js.OctetString) ||
    !actual.equals(Buffer.from(digest.valueBlock.valueHexView))
  )
    throw new Rejected('bad-signature', 'the TSTInfo does not match the signed message digest');
  const crypto = pkijs.getCrypto(true);
  let verified: boolean;
  try {
    verified = await crypto.verifyWithPublicKey(
      signedAttrs.encodedValue,
      signerInfo.signature,
      signer.subjectPublicKeyInfo,
      signerInfo.signatureAlgorithm,
      (crypto.getAlgorithmByOID(signerInfo.digestAlgorithm.algorithmId, true) as { name: string })
        .name,
    );
  } catch (error) {
    throw new Rejected('unsupported-algorithm', `signature: ${(error as Error).message}`);
  }
  if (!verified)
    throw new Rejected(
      'bad-signature',
      'the CMS signature does not verify with the signer certificate',
    );
}

/** RFC 3161 §2.3: exactly one extendedKeyUsage, critical, with only id-kp-timeStamping. */
function checkEku(signer: pkijs.Certificate): void {
  const ekus = (signer.extensions ?? []).filter((e) => e.extnID === OID.extKeyUsage);
  if (ekus.length !== 1)
    throw new Rejected(
      'missing-timestamping-eku',
      `the TSA certificate has ${ekus.length} extendedKeyUsage extensions, RFC 3161 requires one`,
    );
  const purposes = (ekus[0].parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  if (purposes.length !== 1 || purposes[0] !== OID.timeStamping)
    throw new Rejected(
      'missing-timestamping-eku',
      `extendedKeyUsage is ${purposes.join(', ') || 'empty'}, RFC 3161 requires only id-kp-timeStamping`,
    );
  if (!ekus[0].critical)
    throw new Rejected(
      'missing-timestamping-eku',
      'extendedKeyUsage is not critical, RFC 3161 requires it to be',
    );
}

/** Builds a path from the signer to a pinned root, valid at genTime (the RFC 3161 validity model). */
async function checkChain(
  parsed: ParsedToken,
  signer: pkijs.Certificate,
  trust: TsaTrust,
): Promise<string> {
  const enclosed = (parsed.signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate && c !== signer,
  );
  const failures: string[] = [];
  for (const tsa of trust.tsas) {
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: [...tsa.roots],
      certs: [...enclosed, ...tsa.intermediates, signer],
      checkDate: parsed.tstInfo.genTime,
    });
    const result = await engine.verify();
    if (result.result) return tsa.name;
    failures.push(`${tsa.name}: ${result.resultMessage}`);
  }
  throw new Rejected(
    'untrusted-tsa',
    `the TSA certificate does not chain to a pinned root (${failures.join('; ') || 'no TSA is pinned'})`,
  );
}

function checkContent(tstInfo: pkijs.TSTInfo, expected: ExpectedToken, now: Date): void {
  const imprint = tstInfo.messageImprint;
  if (imprint.hashAlgorithm.algorithmId !== OID.sha256)
    throw new Rejected(
      'imprint-mismatch',
      `the token timestamps a ${imprint.hashAlgorithm.algorithmId} hash, not SHA-256`,
    );
  const hashed = Buffer.from(imprint.hashedMessage.valueBlock.valueHexView);
  if (!hashed.equals(Buffer.from(expected.sha256)))
    throw new Rejected(
      'imprint-mismatch',
      `the token timestamps ${hashed.toString('hex')}, not ${Buffer.from(expected.sha256).toString('hex')}`,
    );
  if (expected.nonce !== undefined) {
    const nonce = tstInfo.nonce === undefined ? undefined : integerHex(tstInfo.nonce);
    if (nonce !== expected.nonce)
      throw new Rejected(
        'nonce-mismatch',
        `the token's nonce is ${nonce ?? 'absent'}, the request's ${expected.nonce}`,
      );
  }
  if (tstInfo.genTime.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw new Rejected(
      'gen-time-in-future',
      `genTime ${tstInfo.genTime.toISOString()} is after ${now.toISOString()}`,
    );
}

/**
 * Verifies an RFC 3161 TimeStampToken for `expected.sha256`: CMS signature
 * and signed attributes first (so an altered token is always `bad-signature`),
 * then the ESSCertID(v2) binding, the timeStamping EKU and the chain to a
 * pinned root at genTime, and last what it says (imprint, nonce, genTime).
 */
export async function verifyTimeStampToken(
  token: Uint8Array,
  expected: ExpectedToken,
  trust: TsaTrust,
  now = new Date(),
): Promise<TokenVerdict> {
  try {
    const parsed = parseToken(token);
    const signer = findSigner(parsed);
    await checkSignature(parsed, signer);
    const binding = checkEssBinding(parsed.signedAttrs, signer);
    if (!binding.bound)
      throw new Rejected(
        binding.missing ? 'certificate-binding-missing' : 'certificate-binding-mismatch',
        binding.detail,
      );
    checkEku(signer);
    const tsa = await checkChain(parsed, signer, trust);
    checkContent(parsed.tstInfo, expected, now);
    return {
      ok: true,
      genTime: parsed.tstInfo.genTime,
      serialNumber: integerHex(parsed.tstInfo.serialNumber),
      policy: parsed.tstInfo.policy,
      tsa,
      signerCertificate: certificateFingerprint(new Uint8Array(signer.toSchema().toBER())),
    };
  } catch (error) {
    if (error instanceof Rejected) return { ok: false, reason: error.reason, detail: error.detail };
    throw error;
  }
}
