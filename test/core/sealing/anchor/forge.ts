import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { TsaPki } from '../../../../local/tsa/pki';
import { openssl } from '../../../../local/tsa/openssl';

/**
 * What an attacker holding (or having obtained) key material would build:
 * real tokens re-signed or re-assembled with openssl and pkijs, never
 * hand-made bytes. openssl's TSA refuses to sign with a certificate that
 * lacks the timeStamping EKU, so `openssl cms -sign -cades` makes that one.
 */

/** The TSTInfo inside a token, as DER. */
export function tstInfoOf(token: Uint8Array): Buffer {
  const info = pkijs.ContentInfo.fromBER(token);
  const signed = new pkijs.SignedData({ schema: info.content });
  return Buffer.from(signed.encapContentInfo.eContent!.getValue());
}

/** A certificate for the TSA's own key, issued by the TSA's CA with the given extensions. */
export async function reissueTsaCertificate(
  pki: TsaPki,
  name: string,
  extensions: string,
): Promise<string> {
  const csr = join(pki.dir, `${name}.csr`);
  const ext = join(pki.dir, `${name}.ext`);
  const pem = join(pki.dir, `${name}.pem`);
  await openssl([
    'req',
    '-new',
    '-key',
    pki.tsaKey,
    '-subj',
    `/O=logvault/CN=${name}`,
    '-out',
    csr,
  ]);
  await writeFile(ext, extensions);
  // prettier-ignore
  await openssl([
    'x509', '-req', '-in', csr, '-CA', pki.caCertificate, '-CAkey', pki.caKey,
    '-set_serial', `0x${Date.now().toString(16)}`, '-sha256', '-days', '30', '-extfile', ext, '-out', pem,
  ]);
  return pem;
}

/**
 * Re-signs a real token's TSTInfo as CMS with `certificate` (same key as the
 * TSA): signed content-type, message digest and SigningCertificateV2 are all
 * correct, so only what the certificate says is wrong. `byKeyId` names the
 * signer by subject key identifier instead of issuer and serial;
 * `withoutCertificate` leaves the certificate out, as a TSA does without certReq;
 * `withoutBinding` omits SigningCertificateV2; `digest` picks the CMS digest.
 */
export async function resignToken(
  pki: TsaPki,
  token: Uint8Array,
  certificate: string,
  options: {
    byKeyId?: boolean;
    withoutCertificate?: boolean;
    withoutBinding?: boolean;
    digest?: 'sha256' | 'sha1';
  } = {},
): Promise<Buffer> {
  const content = join(pki.dir, 'forged-tstinfo.der');
  const out = join(pki.dir, 'forged-token.der');
  await writeFile(content, tstInfoOf(token));
  // prettier-ignore
  await openssl([
    'cms', '-sign', '-binary', '-nodetach', '-md', options.digest ?? 'sha256', '-nosmimecap',
    ...(options.withoutBinding ? [] : ['-cades']),
    '-econtent_type', 'id-smime-ct-TSTInfo', '-signer', certificate, '-inkey', pki.tsaKey,
    '-in', content, '-outform', 'DER', '-out', out,
    ...(options.byKeyId ? ['-keyid'] : []),
    ...(options.withoutCertificate ? ['-nocerts'] : []),
  ]);
  return openssl(['cms', '-cmsout', '-inform', 'DER', '-in', out, '-outform', 'DER']);
}

/**
 * Replaces the signer certificate inside a token with another certificate
 * for the same key and points the SignerInfo at it. The signature still
 * verifies (same key, signed attributes untouched); only the ESSCertID
 * binding can tell the certificates apart.
 */
export function swapSignerCertificate(token: Uint8Array, certificatePem: string): Buffer {
  const der = Buffer.from(certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const replacement = pkijs.Certificate.fromBER(der);
  const info = pkijs.ContentInfo.fromBER(token);
  const signed = new pkijs.SignedData({ schema: info.content });
  const sid = signed.signerInfos[0].sid as pkijs.IssuerAndSerialNumber;
  signed.certificates = (signed.certificates ?? []).map((c) =>
    c instanceof pkijs.Certificate && c.serialNumber.isEqual(sid.serialNumber) ? replacement : c,
  );
  signed.signerInfos[0].sid = new pkijs.IssuerAndSerialNumber({
    issuer: replacement.issuer,
    serialNumber: replacement.serialNumber,
  });
  const rebuilt = new pkijs.ContentInfo({
    contentType: info.contentType,
    content: signed.toSchema(true),
  });
  return Buffer.from(rebuilt.toSchema().toBER());
}

/** Flips one bit of the token at `offset` bytes from its start (negative: from its end). */
export function flipBit(token: Uint8Array, offset: number): Buffer {
  const copy = Buffer.from(token);
  copy[offset < 0 ? copy.length + offset : offset] ^= 0x01;
  return copy;
}

/** Byte offset of the TSTInfo's genTime (its GeneralizedTime's first digit) inside the token. */
export function genTimeOffset(token: Uint8Array): number {
  const tst = tstInfoOf(token);
  const parsed = asn1js.fromBER(tst).result as asn1js.Sequence;
  const genTime = parsed.valueBlock.value.find((v) => v instanceof asn1js.GeneralizedTime)!;
  // Skip the tag and length bytes: the first digit of the year.
  return Buffer.from(token).indexOf(Buffer.from(genTime.toBER())) + 2;
}
