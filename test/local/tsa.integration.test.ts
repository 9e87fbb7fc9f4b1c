import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateFingerprint } from '../../core/sealing/anchor/fingerprint';
import { requestTimestamp } from '../../core/sealing/anchor/tsa-client';
import { loadTsaTrust } from '../../core/sealing/anchor/tsa-trust';
import { verifyTimeStampToken } from '../../core/sealing/anchor/verify-token';
import { startTsaServer } from '../../local/tsa/server';
import { uniqueSuffix } from '../support/standins';

const rootFingerprint = (dir: string) =>
  certificateFingerprint(new X509Certificate(readFileSync(join(dir, 'ca.pem'))).raw);

/**
 * The TSA stand-in over real HTTP: RFC 3161 §3.4's contract (POST an
 * application/timestamp-query, get an application/timestamp-reply), key
 * material made once and kept, and one serial per token under load.
 */
describe('TSA stand-in (local/tsa)', () => {
  const dir = join(__dirname, '../../.run/test-tsa', `standin-${uniqueSuffix()}`);
  const hash = createHash('sha256').update('chain head').digest();

  it('answers only POSTed timestamp queries, with HTTP errors that say what to send', async () => {
    const server = await startTsaServer({ dir });
    try {
      const get = await fetch(server.url);
      expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
      const json = await fetch(server.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect([json.status, await json.text()]).toEqual([
        415,
        'Content-Type must be application/timestamp-query\n',
      ]);
      const huge = await fetch(server.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query' },
        body: Buffer.alloc(65 * 1024),
      });
      expect(huge.status).toBe(413);
      const stamped = await requestTimestamp(hash, {
        url: server.url,
        trust: loadTsaTrust(server.trustDir),
      });
      expect(stamped.tsa).toBe('local');
    } finally {
      await server.close();
    }
  });

  it('keeps its CA across restarts, so tokens issued before a restart still verify', async () => {
    const first = await startTsaServer({ dir });
    const before = rootFingerprint(dir);
    const token = (
      await requestTimestamp(hash, { url: first.url, trust: loadTsaTrust(first.trustDir) })
    ).token;
    await first.close();
    const second = await startTsaServer({ dir });
    try {
      expect(rootFingerprint(dir)).toBe(before);
      const trust = loadTsaTrust(second.trustDir);
      expect(JSON.parse(readFileSync(join(second.trustDir, 'tsas.json'), 'utf8')).tsas[0].url).toBe(
        second.url,
      );
      expect(await verifyTimeStampToken(token, { sha256: hash }, trust)).toMatchObject({
        ok: true,
      });
    } finally {
      await second.close();
    }
  });

  it('gives every token of concurrent requests its own serial number', async () => {
    const server = await startTsaServer({ dir });
    try {
      const trust = loadTsaTrust(server.trustDir);
      const hashes = Array.from({ length: 12 }, (_, i) =>
        createHash('sha256').update(`head ${i}`).digest(),
      );
      const tokens = await Promise.all(
        hashes.map((h) => requestTimestamp(h, { url: server.url, trust })),
      );
      const verdicts = await Promise.all(
        tokens.map((t, i) => verifyTimeStampToken(t.token, { sha256: hashes[i] }, trust)),
      );
      const serials = verdicts.map((v) => (v.ok ? v.serialNumber : v.reason));
      expect(new Set(serials).size).toBe(hashes.length);
    } finally {
      await server.close();
    }
  });
});
