import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Certificates and OCSP requests made by the real openssl command line, in a
 * temporary directory: the parsers' inputs come from a real client, and the
 * expected values from openssl too, never from the code under test.
 */

export interface Leaf {
  readonly pem: string;
  /** `openssl x509 -serial -noout`, lowercased. */
  readonly serial: string;
}

export interface Issuer {
  readonly pem: string;
  /** SHA-1 / SHA-256 of the issuer's public key bits, extracted with `openssl asn1parse`. */
  readonly keyHash: { readonly sha1: string; readonly sha256: string };
  /** SHA-1 / SHA-256 of the issuer's DER subject name (`openssl x509 -subject -nameopt` DER via asn1parse). */
  readonly nameHash: { readonly sha1: string; readonly sha256: string };
  /** `openssl x509 -ocspid`: openssl's own SHA-1 key and name hashes. */
  readonly ocspid: { readonly keySha1: string; readonly nameSha1: string };
}

export class OpensslFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'logvault-ocsp-'));
  private counter = 0;

  private run(args: string[], input?: Buffer): Buffer {
    return execFileSync('openssl', args, { cwd: this.dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  private file(name: string): string {
    return join(this.dir, name);
  }

  /** A self-signed CA with an RSA or EC key. */
  issuer(name: string, key: 'rsa' | 'ec'): Issuer {
    const keyArgs = key === 'rsa' ? ['rsa:2048'] : ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    const pem = this.file(`${name}.pem`);
    this.run([
      'req',
      '-x509',
      '-newkey',
      ...keyArgs,
      '-nodes',
      '-keyout',
      this.file(`${name}.key`),
      '-out',
      pem,
      '-subj',
      `/O=logvault test/CN=${name}`,
      '-days',
      '2',
    ]);
    const spki = this.run(['x509', '-in', pem, '-noout', '-pubkey']);
    const spkiDer = this.run(['pkey', '-pubin', '-outform', 'DER'], spki);
    const keyBits = this.bitStringContent(spkiDer);
    const subjectDer = this.subjectDer(pem);
    const ocspid = this.run(['x509', '-in', pem, '-noout', '-ocspid']).toString();
    const hashes = (data: Buffer) => ({
      sha1: createHash('sha1').update(data).digest('hex'),
      sha256: createHash('sha256').update(data).digest('hex'),
    });
    return {
      pem,
      keyHash: hashes(keyBits),
      nameHash: hashes(subjectDer),
      ocspid: {
        keySha1: /Public key OCSP hash: ([0-9A-F]+)/.exec(ocspid)![1].toLowerCase(),
        nameSha1: /Subject OCSP hash: ([0-9A-F]+)/.exec(ocspid)![1].toLowerCase(),
      },
    };
  }

  /** The public key bits: the SPKI's BIT STRING without its unused-bits octet, located by asn1parse. */
  private bitStringContent(spkiDer: Buffer): Buffer {
    const listing = this.run(['asn1parse', '-inform', 'DER'], spkiDer).toString();
    const m = /(\d+):d=1\s+hl=(\d+)\s+l=\s*(\d+)\s+prim: BIT STRING/.exec(listing)!;
    const [offset, header, length] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return spkiDer.subarray(offset + header + 1, offset + header + length);
  }

  /** The DER of the certificate's subject Name, located by asn1parse (the 6th element of TBSCertificate). */
  private subjectDer(pem: string): Buffer {
    const der = this.run(['x509', '-in', pem, '-outform', 'DER']);
    const listing = this.run(['asn1parse', '-inform', 'DER'], der).toString().split('\n');
    const tbsChildren = listing.filter((line) => /:d=2\s/.test(line));
    // TBSCertificate: [0] version, serial, signature, issuer, validity, subject.
    const m = /(\d+):d=2\s+hl=(\d+)\s+l=\s*(\d+)/.exec(tbsChildren[5])!;
    const [offset, header, length] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return der.subarray(offset, offset + header + length);
  }

  /** A leaf certificate signed by `issuer`, with the given serial (hex, as `-set_serial 0x…` takes it). */
  leaf(issuer: Issuer, serialHex: string): Leaf {
    const name = `leaf${++this.counter}`;
    const csr = this.file(`${name}.csr`);
    const pem = this.file(`${name}.pem`);
    this.run([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      this.file(`${name}.key`),
      '-out',
      csr,
      '-subj',
      `/CN=${name}.example`,
    ]);
    this.run([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      issuer.pem,
      '-CAkey',
      issuer.pem.replace(/\.pem$/, '.key'),
      '-set_serial',
      `0x${serialHex}`,
      '-out',
      pem,
      '-days',
      '1',
    ]);
    const serial = this.run(['x509', '-in', pem, '-serial', '-noout']).toString();
    return { pem, serial: /serial=([0-9A-F]+)/.exec(serial)![1].toLowerCase() };
  }

  /** DER OCSPRequest made by `openssl ocsp -reqout` for the leaves of one issuer. */
  request(
    issuer: Issuer,
    leaves: readonly Leaf[],
    o: { sha256?: boolean; nonce?: boolean; signer?: Issuer } = {},
  ): Buffer {
    const out = this.file(`req${++this.counter}.der`);
    this.run([
      'ocsp',
      '-issuer',
      issuer.pem,
      // openssl wants the digest before the certificates it applies to.
      ...(o.sha256 ? ['-sha256'] : []),
      ...leaves.flatMap((l) => ['-cert', l.pem]),
      ...(o.nonce ? [] : ['-no_nonce']),
      // A signed request carries requestorName [1] and optionalSignature [0].
      ...(o.signer
        ? ['-signer', o.signer.pem, '-signkey', o.signer.pem.replace(/\.pem$/, '.key')]
        : []),
      '-reqout',
      out,
    ]);
    return readFileSync(out);
  }

  /** `openssl ocsp -req_text` of a request: what openssl itself reads in it. */
  requestText(der: Buffer): string {
    const path = this.file(`text${++this.counter}.der`);
    writeFileSync(path, der);
    return this.run(['ocsp', '-reqin', path, '-req_text']).toString();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
