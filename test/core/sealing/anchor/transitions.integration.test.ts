import { createHash } from 'node:crypto';
import { parseKeyring } from '../../../../core/sealing/anchor/keyring';
import {
  TransitionRecord,
  TransitionStatement,
  TRANSITION_FORMAT,
  signTransition,
  transitionImprint,
} from '../../../../core/sealing/anchor/transition';
import { requestTimestamp } from '../../../../core/sealing/anchor/tsa-client';
import {
  TransitionCandidate,
  resolveTrustedKeys,
  verifyDigestSignature,
} from '../../../../core/sealing/anchor/trusted-keys';
import { signingString } from '../../../../core/sealing/digest';
import { LocalKey, keyringEntry, keyringText, localKey, testTsa } from './support';

const BUCKET = 'logvault-dev-123456789012-us-east-1-subscriber-archive';
const GENESIS = new Date('2026-11-01T00:00:00Z');
const HOUR = 3_600_000;

/**
 * Key rotation as a verifier that pinned only the first key sees it: each
 * transition must be signed by a trusted old key, countersigned by the new
 * one and timestamped by a pinned TSA before it takes effect. Keys are P-256
 * keys held in the test process; the TSA is the openssl stand-in.
 */
describe('signed key transitions', () => {
  let tsa: Awaited<ReturnType<typeof testTsa>>;
  beforeAll(async () => {
    tsa = await testTsa();
  });
  afterAll(() => tsa.close());

  const keyring = (...keys: LocalKey[]) =>
    parseKeyring(
      keyringText(
        'dev',
        keys.map((k) => keyringEntry(k, GENESIS)),
      ),
      'test',
      'dev',
    );

  const statement = (from: LocalKey, to: LocalKey, effectiveFrom: Date): TransitionStatement => ({
    format: TRANSITION_FORMAT,
    stage: 'dev',
    archiveBucket: BUCKET,
    from: from.fingerprint,
    to: { fingerprint: to.fingerprint, publicKeyPem: to.pem },
    effectiveFrom: effectiveFrom.toISOString(),
    reason: 'scheduled rotation',
  });

  /** Signed by `signer` (the old key unless an attacker signs), countersigned by `to`, timestamped now. */
  async function transition(
    from: LocalKey,
    to: LocalKey,
    effectiveFrom: Date,
    signer: LocalKey = from,
  ): Promise<TransitionRecord> {
    const signed = await signTransition(statement(from, to, effectiveFrom), signer, to);
    const stamp = await requestTimestamp(transitionImprint(signed), {
      url: tsa.url,
      trust: tsa.trust,
    });
    return { ...signed, timestamps: [Buffer.from(stamp.token).toString('base64')] };
  }

  const resolve = (ring: ReturnType<typeof keyring>, records: TransitionRecord[]) =>
    resolveTrustedKeys(
      ring,
      records.map((record, i): TransitionCandidate => ({
        source: `transitions/${i}.json`,
        record,
      })),
      { tsa: tsa.trust, archiveBucket: BUCKET },
    );

  /** A digest of `hour` signed by `key`, checked as verify would: by the fingerprint it names. */
  async function digestCheck(
    keys: Awaited<ReturnType<typeof resolve>>['keys'],
    key: LocalKey,
    hour: Date,
  ) {
    const message = signingString('digests/x.json', Buffer.from(hour.toISOString()));
    const signature = await key.sign(message);
    return verifyDigestSignature(keys, {
      fingerprint: key.fingerprint,
      hourStart: hour,
      message,
      signature,
    });
  }

  it('follows a rotation: the old key signs until it takes effect, the new key from then on', async () => {
    const [k1, k2] = [localKey(), localKey()];
    const effective = new Date(Date.now() + 2 * HOUR);
    const { keys, accepted, rejected } = await resolve(keyring(k1), [
      await transition(k1, k2, effective),
    ]);
    expect(rejected).toEqual([]);
    expect(accepted).toMatchObject([
      { from: k1.fingerprint, to: k2.fingerprint, effectiveFrom: effective },
    ]);
    const before = new Date(effective.getTime() - HOUR);
    expect(await digestCheck(keys, k1, before)).toMatchObject({ ok: true });
    expect(await digestCheck(keys, k2, effective)).toMatchObject({
      ok: true,
      key: { via: 'transitions/0.json' },
    });
    // The old key is retired: a leaked or account-held old key cannot sign new hours.
    expect(await digestCheck(keys, k1, effective)).toMatchObject({
      ok: false,
      reason: 'key-not-valid',
    });
    expect(await digestCheck(keys, k2, before)).toMatchObject({
      ok: false,
      reason: 'key-not-valid',
    });
  });

  it('follows rotations in effect order, whatever order they are found in', async () => {
    const [k1, k2, k3] = [localKey(), localKey(), localKey()];
    const t1 = new Date(Date.now() + HOUR);
    const t2 = new Date(Date.now() + 3 * HOUR);
    const records = [await transition(k2, k3, t2), await transition(k1, k2, t1)];
    const { keys, rejected } = await resolve(keyring(k1), records);
    expect(rejected).toEqual([]);
    expect(await digestCheck(keys, k3, t2)).toMatchObject({ ok: true });
  });

  it('rejects a backdated rotation: timestamped after it took effect', async () => {
    const [k1, k2] = [localKey(), localKey()];
    // The account admin can make the old KMS key sign anything; it cannot make a TSA date it earlier.
    const backdated = await transition(k1, k2, new Date(Date.now() - 24 * HOUR));
    const { keys, rejected } = await resolve(keyring(k1), [backdated]);
    expect(rejected).toMatchObject([{ reason: 'timestamped-after-effect' }]);
    expect(await digestCheck(keys, k2, new Date())).toMatchObject({
      ok: false,
      reason: 'unknown-key',
    });
  });

  it('rejects transitions the pinned key never signed, never countersigned, or never timestamped', async () => {
    const [k1, k2, attacker] = [localKey(), localKey(), localKey()];
    const later = new Date(Date.now() + HOUR);
    const forgedFrom = await transition(k1, k2, later, attacker);
    const notCountersigned = {
      ...(await transition(k1, k2, later)),
      toSignature: forgedFrom.toSignature,
    };
    const stamped = await transition(k1, k2, later);
    const unstamped = {
      statement: stamped.statement,
      fromSignature: stamped.fromSignature,
      toSignature: stamped.toSignature,
    };
    const otherImprint = await requestTimestamp(createHash('sha256').update('other').digest(), {
      url: tsa.url,
      trust: tsa.trust,
    });
    const wrongStamp = {
      ...unstamped,
      timestamps: [Buffer.from(otherImprint.token).toString('base64')],
    };
    const unknownFrom = await transition(attacker, k2, later);
    const wrongKey = await transition(k1, { ...k2, pem: attacker.pem }, later);
    const { rejected } = await resolve(keyring(k1), [
      forgedFrom,
      notCountersigned,
      { ...unstamped, timestamps: [] },
      wrongStamp,
      unknownFrom,
      wrongKey,
    ]);
    expect(Object.fromEntries(rejected.map((r) => [r.source, r.reason]))).toEqual({
      'transitions/0.json': 'bad-from-signature',
      'transitions/1.json': 'bad-to-signature',
      'transitions/2.json': 'not-timestamped',
      'transitions/3.json': 'not-timestamped',
      'transitions/4.json': 'unknown-from-key',
      'transitions/5.json': 'to-fingerprint-mismatch',
    });
    expect(rejected.find((r) => r.source === 'transitions/3.json')?.detail).toMatch(
      /imprint-mismatch/,
    );
  });

  it('rejects a statement edited after signing, and a fork away from an already rotated key', async () => {
    const [k1, k2, k3] = [localKey(), localKey(), localKey()];
    const t1 = new Date(Date.now() + HOUR);
    const first = await transition(k1, k2, t1);
    const edited = {
      ...first,
      statement: first.statement.replace('scheduled rotation', 'emergency rotation'),
    };
    const fork = await transition(k1, k3, new Date(t1.getTime() + HOUR));
    const { rejected, accepted } = await resolve(keyring(k1), [edited, first, fork]);
    expect(accepted.map((a) => a.to)).toEqual([k2.fingerprint]);
    expect(rejected.map((r) => [r.source, r.reason])).toEqual(
      expect.arrayContaining([
        ['transitions/0.json', 'bad-from-signature'],
        ['transitions/2.json', 'from-key-not-valid'],
      ]),
    );
  });

  it('rejects a transition for another archive or with malformed fields', async () => {
    const [k1, k2] = [localKey(), localKey()];
    const other = await signTransition(
      { ...statement(k1, k2, new Date(Date.now() + HOUR)), archiveBucket: 'someone-elses-archive' },
      k1,
      k2,
    );
    const stamp = await requestTimestamp(transitionImprint(other), {
      url: tsa.url,
      trust: tsa.trust,
    });
    const { rejected } = await resolve(keyring(k1), [
      { ...other, timestamps: [Buffer.from(stamp.token).toString('base64')] },
      {
        statement: '{"format":"logvault-key-transition/1"}',
        fromSignature: 'x',
        toSignature: 'y',
        timestamps: [],
      },
    ]);
    expect(rejected.map((r) => r.reason).sort()).toEqual(['malformed', 'wrong-archive']);
  });

  it('trusts no key an account could swap in: unpublished keys and wrong signatures fail', async () => {
    const [k1, swapped] = [localKey(), localKey()];
    const { keys } = await resolve(keyring(k1), []);
    const hour = new Date();
    expect(await digestCheck(keys, swapped, hour)).toMatchObject({
      ok: false,
      reason: 'unknown-key',
      detail: expect.stringMatching(/neither published nor reached by a signed transition/),
    });
    // A digest signed by the swapped key but claiming the published fingerprint.
    const message = signingString('digests/x.json', Buffer.from('body'));
    expect(
      verifyDigestSignature(keys, {
        fingerprint: k1.fingerprint,
        hourStart: hour,
        message,
        signature: await swapped.sign(message),
      }),
    ).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});
