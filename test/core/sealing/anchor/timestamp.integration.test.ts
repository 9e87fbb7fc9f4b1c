import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { TimestampError, requestTimestamp } from '../../../../core/sealing/anchor/tsa-client';
import { timeStampRequest } from '../../../../core/sealing/anchor/tsp-request';
import { parseTimeStampResponse } from '../../../../core/sealing/anchor/tsp-response';
import { TsaTrustError, loadTsaTrust } from '../../../../core/sealing/anchor/tsa-trust';
import { verifyTimeStampToken } from '../../../../core/sealing/anchor/verify-token';
import { uniqueSuffix } from '../../../support/standins';
import {
  flipBit,
  genTimeOffset,
  reissueTsaCertificate,
  resignToken,
  swapSignerCertificate,
} from './forge';
import { testTsa } from './support';

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const TSA_EXTENSIONS = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n';

/**
 * RFC 3161 tokens from the TSA stand-in (openssl ts -reply over HTTP), and
 * tokens an attacker could make from them, against the verifier. Each bad
 * token is rejected for its own reason, so a finding says what was wrong.
 */
describe('RFC 3161 timestamp tokens', () => {
  let tsa: Awaited<ReturnType<typeof testTsa>>;
  let other: Awaited<ReturnType<typeof testTsa>>;
  const head = sha256('digests/2026/11/30/05.json bytes');
  let token: Uint8Array;

  beforeAll(async () => {
    tsa = await testTsa();
    other = await testTsa({ name: 'someone else' });
    token = (await requestTimestamp(head, { url: tsa.url, trust: tsa.trust })).token;
  });
  afterAll(async () => {
    await tsa.close();
    await other.close();
  });

  it('accepts a token from the stand-in for the chain head it was asked for', async () => {
    const verdict = await verifyTimeStampToken(token, { sha256: head }, tsa.trust);
    expect(verdict).toMatchObject({ ok: true, tsa: 'local', policy: '1.2.3.4.1' });
    expect(verdict.ok && Math.abs(verdict.genTime.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('accepts EC P-256 TSAs and ESSCertID v1 (SHA-1) bindings as openssl makes them', async () => {
    const ec = await testTsa({ keyType: 'ec', essCertId: 'v1' });
    try {
      const stamped = await requestTimestamp(head, { url: ec.url, trust: ec.trust });
      expect(await verifyTimeStampToken(stamped.token, { sha256: head }, ec.trust)).toMatchObject({
        ok: true,
      });
    } finally {
      await ec.close();
    }
  });

  it('rejects a token for another hash: imprint-mismatch', async () => {
    const verdict = await verifyTimeStampToken(
      token,
      { sha256: sha256('a rewritten head') },
      tsa.trust,
    );
    expect(verdict).toMatchObject({ ok: false, reason: 'imprint-mismatch' });
  });

  it('rejects a token from a TSA whose root is not pinned: untrusted-tsa', async () => {
    const foreign = await requestTimestamp(head, { url: other.url, trust: other.trust });
    const verdict = await verifyTimeStampToken(foreign.token, { sha256: head }, tsa.trust);
    expect(verdict).toMatchObject({ ok: false, reason: 'untrusted-tsa' });
  });

  it('rejects corrupted tokens: a flipped signature bit, an edited genTime, a truncated token', async () => {
    const signature = await verifyTimeStampToken(flipBit(token, -3), { sha256: head }, tsa.trust);
    expect(signature).toMatchObject({
      ok: false,
      reason: 'bad-signature',
      detail: expect.stringMatching(/CMS signature/),
    });
    const edited = flipBit(token, genTimeOffset(token));
    expect(edited.equals(Buffer.from(token))).toBe(false);
    expect(await verifyTimeStampToken(edited, { sha256: head }, tsa.trust)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
      detail: 'the TSTInfo does not match the signed message digest',
    });
    expect(
      await verifyTimeStampToken(token.subarray(0, 200), { sha256: head }, tsa.trust),
    ).toMatchObject({
      ok: false,
      reason: 'malformed-token',
    });
  });

  /** A fresh token: certificates issued for a test are only valid from their issue second on. */
  const freshToken = async () =>
    (await requestTimestamp(head, { url: tsa.url, trust: tsa.trust })).token;

  it('rejects a token signed under a certificate without the timeStamping EKU, even from the pinned CA', async () => {
    const eku = 'extendedKeyUsage=critical,timeStamping\n';
    const noEku = await reissueTsaCertificate(tsa.pki, 'no-eku', TSA_EXTENSIONS);
    const notCritical = await reissueTsaCertificate(
      tsa.pki,
      'eku-not-critical',
      `${TSA_EXTENSIONS}extendedKeyUsage=timeStamping\n`,
    );
    const proper = await reissueTsaCertificate(tsa.pki, 'proper', `${TSA_EXTENSIONS}${eku}`);
    const real = await freshToken();
    const verify = async (certificate: string) =>
      verifyTimeStampToken(
        await resignToken(tsa.pki, real, certificate),
        { sha256: head },
        tsa.trust,
      );

    expect(await verify(noEku)).toMatchObject({
      ok: false,
      reason: 'missing-timestamping-eku',
      detail: expect.stringMatching(/has 0 extendedKeyUsage extensions/),
    });
    expect(await verify(notCritical)).toMatchObject({
      ok: false,
      reason: 'missing-timestamping-eku',
      detail: expect.stringMatching(/not critical/),
    });
    // Control: the same re-signing under a proper TSA certificate verifies, so only the EKU differed.
    expect(await verify(proper)).toMatchObject({ ok: true });
  });

  it('finds the signer by subject key identifier, and rejects a token that leaves its certificate out', async () => {
    const extensions = `${TSA_EXTENSIONS}extendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\n`;
    const certificate = await reissueTsaCertificate(tsa.pki, 'by-key-id', extensions);
    const real = await freshToken();
    const byKeyId = await resignToken(tsa.pki, real, certificate, { byKeyId: true });
    expect(await verifyTimeStampToken(byKeyId, { sha256: head }, tsa.trust)).toMatchObject({
      ok: true,
    });
    const bare = await resignToken(tsa.pki, real, certificate, { withoutCertificate: true });
    expect(await verifyTimeStampToken(bare, { sha256: head }, tsa.trust)).toMatchObject({
      ok: false,
      reason: 'no-signer-certificate',
    });
  });

  it('rejects a token with no certificate binding, and one signed over SHA-1', async () => {
    const extensions = `${TSA_EXTENSIONS}extendedKeyUsage=critical,timeStamping\n`;
    const certificate = await reissueTsaCertificate(tsa.pki, 'unbound', extensions);
    const real = await freshToken();
    const unbound = await resignToken(tsa.pki, real, certificate, { withoutBinding: true });
    expect(await verifyTimeStampToken(unbound, { sha256: head }, tsa.trust)).toMatchObject({
      ok: false,
      reason: 'certificate-binding-missing',
    });
    const sha1 = await resignToken(tsa.pki, real, certificate, { digest: 'sha1' });
    expect(await verifyTimeStampToken(sha1, { sha256: head }, tsa.trust)).toMatchObject({
      ok: false,
      reason: 'unsupported-algorithm',
    });
  });

  it('rejects a token whose certificate was swapped for another one of the same key: certificate-binding-mismatch', async () => {
    const twin = await reissueTsaCertificate(
      tsa.pki,
      'twin',
      `${TSA_EXTENSIONS}extendedKeyUsage=critical,timeStamping\n`,
    );
    const swapped = swapSignerCertificate(await freshToken(), readFileSync(twin, 'utf8'));
    expect(await verifyTimeStampToken(swapped, { sha256: head }, tsa.trust)).toMatchObject({
      ok: false,
      reason: 'certificate-binding-mismatch',
    });
  });

  it('checks the request nonce and a genTime in the future', async () => {
    expect(
      await verifyTimeStampToken(token, { sha256: head, nonce: '4242' }, tsa.trust),
    ).toMatchObject({
      ok: false,
      reason: 'nonce-mismatch',
    });
    const anHourAgo = new Date(Date.now() - 3_600_000);
    expect(await verifyTimeStampToken(token, { sha256: head }, tsa.trust, anHourAgo)).toMatchObject(
      {
        ok: false,
        reason: 'gen-time-in-future',
      },
    );
  });

  it('requestTimestamp returns no token that does not verify against the pinned roots', async () => {
    await expect(requestTimestamp(head, { url: other.url, trust: tsa.trust })).rejects.toThrow(
      /token untrusted-tsa/,
    );
    await expect(
      requestTimestamp(head, { url: 'http://127.0.0.1:9/', trust: tsa.trust, timeoutMs: 2000 }),
    ).rejects.toThrow(TimestampError);
  });

  it('reads a TSA refusal with its failure bits', async () => {
    const response = await fetch(tsa.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query' },
      body: timeStampRequest(head).der.subarray(0, 20),
    });
    expect(parseTimeStampResponse(new Uint8Array(await response.arrayBuffer()))).toEqual({
      granted: false,
      status: 'rejection',
      detail:
        'TSA answered rejection: failure badDataFormat: "Bad request format or system error."',
    });
  });

  it('loads pinned roots only when each file hashes to its listed fingerprint', () => {
    const dir = join(__dirname, '../../../../.run/test-tsa', `trust-${uniqueSuffix()}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(other.trustDir, 'root.pem'), join(dir, 'root.pem'));
    writeFileSync(join(dir, 'tsas.json'), readFileSync(join(tsa.trustDir, 'tsas.json')));
    expect(() => loadTsaTrust(dir)).toThrow(TsaTrustError);
    expect(() => loadTsaTrust(dir)).toThrow(
      /tsas\[0\]\.roots\[0\]\.fingerprint: root\.pem has SHA-256 [0-9a-f]{64}, not [0-9a-f]{64}/,
    );
  });

  it('the committed trust/tsa pins load', () => {
    const trust = loadTsaTrust(join(__dirname, '../../../../trust/tsa'));
    expect(trust.tsas.map((t) => [t.name, t.roots.length])).toEqual([['digicert', 1]]);
  });
});
