import { gzipSync } from 'node:zlib';
import { HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { writeDigests } from '../../../core/sealing/digest';
import { addHours, hourOf, quarantineKey } from '../../../core/sealing/keys';
import { SealWithheldError, sealObject } from '../../../core/sealing/seal';
import { canaryLine } from '../../../core/smoke/canary';
import { validateSealable } from '../../../core/sealing/validate';
import { verifyArchive } from '../../../core/sealing/verify';
import {
  DEV_LOCK,
  SealingFixture,
  acmeRecord,
  landObject,
  landRaw,
  sealingFixture,
} from './fixture';

/**
 * A misconfigured producer (or an insider writing straight into landing)
 * puts an object the ACME table cannot read: sealing keeps it for the full
 * retention, locked, but under quarantine/ where no table looks; the digest
 * lists it, the QuarantinedObjects count reports it once, verify names it.
 */

const good = (tag: string) => JSON.stringify(acmeRecord(tag)) + '\n';

describe('validateSealable', () => {
  it('accepts stored ACME events, plain or GZIP, blank lines skipped', () => {
    const body = good('a') + '\n' + good('b');
    expect(validateSealable(Buffer.from(body))).toEqual({ ok: true, lines: 2 });
    expect(validateSealable(gzipSync(body))).toEqual({ ok: true, lines: 2 });
  });

  it.each([
    [
      'a line that is not JSON',
      Buffer.from(good('a') + '{"ts":\n'),
      /1 of 2 lines .*line 2: not JSON/,
    ],
    [
      'a record missing a field',
      Buffer.from(JSON.stringify({ ...acmeRecord('a'), status: undefined }) + '\n'),
      /line 1: status: invalid_type/,
    ],
    [
      'an unknown field (the table has no column for it)',
      Buffer.from(JSON.stringify({ ...acmeRecord('a'), extra: 1 }) + '\n'),
      /line 1: \(record\): unrecognized_keys/,
    ],
    [
      'a truncated GZIP stream',
      gzipSync(good('a')).subarray(0, 20),
      /GZIP stream does not decompress/,
    ],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), /not UTF-8/],
  ])('refuses %s, naming the line and field but no value', (_, body, reason) => {
    const verdict = validateSealable(body);
    expect(verdict.ok).toBe(false);
    const text = (verdict as { reason: string }).reason;
    expect(text).toMatch(reason);
    expect(text).not.toContain('192.0.2.1');
    expect(text).toMatch(/^[\x20-\x7e]+$/);
  });
});

/** A stored OCSP request line, as the shipper writes it (the smoke canary goes through its validation). */
const ocspLine = () => canaryLine('ocsp', 'misfit', new Date()) + '\n';

describe('OCSP requests in ACME landing (a producer pointed at the wrong stream)', () => {
  it('marks the object as another retention class, even when mixed with ACME events', () => {
    expect(validateSealable(gzipSync(good('a') + ocspLine()))).toEqual({
      ok: false,
      otherClass: 'ocsp',
      reason: '1 of 2 lines are OCSP requests (another retention class)',
    });
  });

  it('never archives it, not even under quarantine: it stays in landing, which expires it', async () => {
    const f = await sealingFixture();
    const key = await landRaw(f, gzipSync(good('a') + ocspLine()));
    await expect(sealObject(f.seal, key)).rejects.toThrow(SealWithheldError);
    await expect(sealObject(f.seal, key)).rejects.toThrow(/not archived: 1 of 2 lines are OCSP/);
    const archived = await f.clients.s3.send(
      new ListObjectVersionsCommand({ Bucket: f.archive, Prefix: '' }),
    );
    expect((archived.Versions ?? []).map((v) => v.Key)).not.toContain(quarantineKey(key));
    expect((archived.Versions ?? []).map((v) => v.Key)).not.toContain(key);
    const landing = await f.clients.s3.send(new HeadObjectCommand({ Bucket: f.landing, Key: key }));
    expect(landing.ObjectLockMode).toBeUndefined();
  });
});

describe('quarantine at sealing, on the stand-in', () => {
  it('archives a bad object locked under quarantine/, once on every retry, listed in the digest, counted once, named by verify', async () => {
    const f = await sealingFixture();
    const sealedAt = new Date();
    const hour = hourOf(sealedAt);
    const okKey = await landObject(f, 'fine\n');
    const bad = gzipSync(good('x') + 'not json at all\n');
    const badKey = await landRaw(f, bad);

    const outcomes = [await sealObject(f.seal, okKey), await sealObject(f.seal, badKey)];
    expect(outcomes.map((o) => [o.status, o.quarantine?.key])).toEqual([
      ['sealed', undefined],
      ['sealed', quarantineKey(badKey)],
    ]);
    expect(outcomes[1]!.quarantine!.reason).toBe(
      '1 of 2 lines are not ACME events; first line 2: not JSON',
    );
    const head = await f.clients.s3.send(
      new HeadObjectCommand({ Bucket: f.archive, Key: quarantineKey(badKey) }),
    );
    expect(head.ObjectLockMode).toBe(DEV_LOCK.mode);
    expect(head.ObjectLockRetainUntilDate!.getTime()).toBeGreaterThan(Date.now());
    expect(head.Metadata?.['quarantine-reason']).toBe(outcomes[1]!.quarantine!.reason);

    // A redelivered event, and the same bytes landed again under the same key: no second version.
    expect((await sealObject(f.seal, badKey)).quarantine?.key).toBe(quarantineKey(badKey));
    await landRawAt(f, badKey, bad);
    const retry = await sealObject(f.seal, badKey);
    expect([retry.status, retry.quarantine?.key]).toEqual([
      'already-sealed',
      quarantineKey(badKey),
    ]);
    const versions = await f.clients.s3.send(
      new ListObjectVersionsCommand({ Bucket: f.archive, Prefix: '' }),
    );
    expect((versions.Versions ?? []).map((v) => v.Key).sort()).toEqual(
      [okKey, quarantineKey(badKey)].sort(),
    );

    const run = await writeDigests(f.digest, { through: hour });
    expect(run.quarantined.map((e) => [e.key, e.quarantineReason])).toEqual([
      [quarantineKey(badKey), outcomes[1]!.quarantine!.reason],
    ]);
    // The next hour's digest does not count it again (the alarm's metric counts each once).
    const next = await writeDigests(f.digest, { through: addHours(hour, 1) });
    expect(next.written).toHaveLength(1);
    expect(next.quarantined).toEqual([]);

    const report = await verifyArchive(f.verify, { from: hour, to: addHours(hour, 1) });
    expect(report.findings.map((x) => [x.kind, x.key])).toEqual([
      ['quarantined', quarantineKey(badKey)],
    ]);
    expect(report.findings[0]!.detail).toContain('line 2: not JSON');
    expect(report.objects).toBe(2);
  });
});

/** Lands `body` again under an existing landing key (Firehose never reuses one; a rerun might). */
async function landRawAt(f: SealingFixture, key: string, body: Uint8Array) {
  await f.clients.s3.send(new PutObjectCommand({ Bucket: f.landing, Key: key, Body: body }));
}
