import { gzipSync } from 'node:zlib';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { CaseRequest } from '../../core/holds/case';
import { applyHold, holdStatus, releaseHold } from '../../core/holds';
import {
  HoldFixture,
  coveringCaseNames,
  archiveTags,
  archiveLegalHold,
  loadHoldFixture,
  putVersion,
} from './hold-fixture';

/** An archived ACME object: a few events of one account in one hour. */
interface Stored {
  readonly key: string;
  readonly versionId: string;
}

const event = (ts: string, account: string, ip: string, domain: string) =>
  JSON.stringify({
    ts,
    account_id: account,
    source_ip: ip,
    endpoint: 'new-order',
    method: 'POST',
    status: 201,
    order_id: null,
    authz_id: null,
    challenge_id: null,
    identifiers: [domain],
    resolved_ips: [],
    validation_method: null,
    validation_target: null,
    validation_result: null,
    user_agent: 'certbot/2.11.0',
    request_body: '{}',
    response_body: '{}',
    body_truncated: false,
  });

const request = (caseId: string, from: string, to: string, extra: Partial<CaseRequest> = {}) => ({
  case: {
    caseId,
    dataset: 'acme' as const,
    scope: { from, to, filters: {} },
    reason: 'subpoena 2026-17',
    ticket: 'LEGAL-17',
    requester: 'oncall@example.com',
    ...extra,
  },
  dryRun: false,
});

describe('ACME legal holds on the stand-in (Object Lock, real HTTP)', () => {
  let f: HoldFixture;
  /** Versions per UTC hour 09..14 of 2026-11-20; hour 10 has two versions of one key. */
  const byHour = new Map<number, Stored[]>();

  const legalHold = (o: Stored) => archiveLegalHold(f, o);
  const holdTag = (o: Stored) => coveringCaseNames(f, o);
  const hours = (...hs: number[]) => hs.flatMap((h) => byHour.get(h)!);

  // Synthesizing both stacks (every function bundled) takes tens of seconds.
  beforeAll(async () => {
    f = await loadHoldFixture();
    for (let hour = 9; hour <= 14; hour++) {
      const hh = String(hour).padStart(2, '0');
      const stored: Stored[] = [];
      for (const [n, account] of ['acct-1', 'acct-2'].entries()) {
        // Hour 13 lands GZIP as Firehose delivers it on AWS (moto delivers plain text).
        const gzip = hour === 13;
        const key = `acme/2026/11/20/${hh}/logvault-dev-acme-1-${n}${gzip ? '.gz' : ''}`;
        const line = `${event(`2026-11-20T${hh}:1${n}:00.000Z`, account, `192.0.2.${n + 1}`, `${account}.example.com`)}\n`;
        const body = gzip ? gzipSync(line) : line;
        stored.push({ key, versionId: await putVersion(f, f.archive, key, body) });
        if (hour === 10 && n === 0)
          stored.push({ key, versionId: await putVersion(f, f.archive, key, body) });
      }
      byHour.set(hour, stored);
    }
  }, 240_000);

  it('dry run counts the versions in scope and changes nothing', async () => {
    const outcome = await applyHold(f.deps, {
      ...request('CASE-DRY', '2026-11-20T10:30:00Z', '2026-11-20T12:00:00Z'),
      dryRun: true,
    });
    expect(outcome).toMatchObject({ result: 'dry-run', objectCount: 5 });
    expect(outcome.bytes).toBeGreaterThan(0);
    expect(await f.deps.registry.getCase('CASE-DRY')).toBeUndefined();
    for (const o of hours(10, 11)) expect(await legalHold(o)).not.toBe('ON');
  });

  it('holds every version in scope (registry records it, no tag), leaves the rest untouched', async () => {
    const outcome = await applyHold(
      f.deps,
      request('CASE-A', '2026-11-20T10:30:00Z', '2026-11-20T13:00:00Z'),
    );
    expect(outcome).toMatchObject({ result: 'complete', objectCount: 7, failures: [] });
    for (const o of hours(10, 11, 12)) {
      expect(await legalHold(o)).toBe('ON');
      expect(await holdTag(o)).toBe('CASE-A');
      expect(await archiveTags(f, o)).toEqual([]);
    }
    for (const o of hours(9, 13, 14)) {
      expect(await legalHold(o)).not.toBe('ON');
      expect(await holdTag(o)).toBeUndefined();
    }
  });

  it('refuses to delete a held version even with the governance bypass; an unheld one goes', async () => {
    const [held] = hours(11);
    await expect(
      f.clients.s3.send(
        new DeleteObjectCommand({
          Bucket: f.archive,
          Key: held!.key,
          VersionId: held!.versionId,
          BypassGovernanceRetention: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const free = byHour.get(14)!.pop()!;
    await f.clients.s3.send(
      new DeleteObjectCommand({
        Bucket: f.archive,
        Key: free.key,
        VersionId: free.versionId,
        BypassGovernanceRetention: true,
      }),
    );
  });

  it('holds only objects with a matching event when filtered, reading GZIP objects', async () => {
    const outcome = await applyHold(
      f.deps,
      request('CASE-F', '2026-11-20T13:00:00Z', '2026-11-20T14:00:00Z', {
        scope: {
          from: '2026-11-20T13:00:00Z',
          to: '2026-11-20T14:00:00Z',
          filters: { ips: ['192.0.2.2/32'], domains: ['*.example.com'] },
        },
      }),
    );
    expect(outcome).toMatchObject({ result: 'complete', objectCount: 1 });
    const [acct1, acct2] = hours(13);
    expect(await legalHold(acct2!)).toBe('ON');
    expect(await legalHold(acct1!)).not.toBe('ON');
  });

  it('keeps the versions another case covers held when one overlapping case is released', async () => {
    await applyHold(f.deps, request('CASE-B', '2026-11-20T12:00:00Z', '2026-11-20T13:00:00Z'));
    for (const o of hours(12)) expect(await holdTag(o)).toBe('CASE-A CASE-B');
    // The dry run counts only what the release would lift: hour 12 stays held by CASE-B.
    const dry = await releaseHold(f.deps, {
      caseId: 'CASE-A',
      requester: 'oncall@example.com',
      reason: 'case closed',
      dryRun: true,
    });
    expect(dry).toMatchObject({
      result: 'dry-run',
      objectCount: hours(10, 11).length,
      message: `${hours(12).length} more object versions stay held: another case covers them`,
    });
    const released = await releaseHold(f.deps, {
      caseId: 'CASE-A',
      requester: 'oncall@example.com',
      reason: 'case closed',
      dryRun: false,
    });
    expect(released.failures).toEqual([]);
    expect(released).toMatchObject({ result: 'complete', case: { status: 'released' } });
    for (const o of hours(10, 11)) {
      expect(await legalHold(o)).toBe('OFF');
      expect(await holdTag(o)).toBeUndefined();
    }
    for (const o of hours(12)) {
      expect(await legalHold(o)).toBe('ON');
      expect(await holdTag(o)).toBe('CASE-B');
    }
    await releaseHold(f.deps, {
      caseId: 'CASE-B',
      requester: 'oncall@example.com',
      reason: 'case closed',
      dryRun: false,
    });
    for (const o of hours(12)) expect(await legalHold(o)).toBe('OFF');
  });

  it('refuses to reuse a case id with another scope, or to re-apply a released case', async () => {
    await expect(
      applyHold(f.deps, request('CASE-F', '2026-11-20T09:00:00Z', '2026-11-20T14:00:00Z')),
    ).rejects.toThrow(/already exists with another dataset or scope/);
    await expect(
      applyHold(f.deps, request('CASE-A', '2026-11-20T10:30:00Z', '2026-11-20T13:00:00Z')),
    ).rejects.toThrow(/released/);
  });

  it('resumes a crashed apply without double counting or duplicate audit entries', async () => {
    const crashAfter = 3;
    // Injected fault: moto cannot crash a Lambda mid-run, so the run is stopped after K objects.
    await expect(
      applyHold(
        {
          ...f.deps,
          concurrency: 1,
          afterObject: (done) => {
            if (done === crashAfter) throw new Error('injected crash');
          },
        },
        request('CASE-C', '2026-11-20T09:00:00Z', '2026-11-20T14:00:00Z'),
      ),
    ).rejects.toThrow('injected crash');
    const partial = await f.deps.registry.memberships('CASE-C');
    expect(partial.filter((m) => m.state === 'held')).toHaveLength(crashAfter);
    expect((await f.deps.registry.getCase('CASE-C'))?.status).toBe('applying');

    const resumed = await applyHold(
      f.deps,
      request('CASE-C', '2026-11-20T09:00:00Z', '2026-11-20T14:00:00Z'),
    );
    const inScope = hours(9, 10, 11, 12, 13);
    // The rerun handles only what the crash left: held versions are skipped, not counted again.
    expect(resumed).toMatchObject({
      result: 'complete',
      objectCount: inScope.length,
      processed: inScope.length - crashAfter,
    });
    for (const o of inScope) expect(await legalHold(o)).toBe('ON');
    const again = await applyHold(
      f.deps,
      request('CASE-C', '2026-11-20T09:00:00Z', '2026-11-20T14:00:00Z'),
    );
    expect(again).toMatchObject({ result: 'complete', objectCount: inScope.length, processed: 0 });
    const view = await holdStatus(f.deps, { caseId: 'CASE-C' });
    expect('audit' in view && view.audit.map((e) => e.event)).toEqual([
      'apply-started',
      'objects-held:1',
      'apply-completed',
    ]);
    expect('case' in view && view.case).toMatchObject({
      status: 'active',
      objectCount: inScope.length,
    });
  });

  it('lists every case with its status', async () => {
    const view = await holdStatus(f.deps, { list: true });
    const statuses =
      'cases' in view ? Object.fromEntries(view.cases.map((c) => [c.caseId, c.status])) : {};
    expect(statuses).toEqual({
      'CASE-A': 'released',
      'CASE-B': 'released',
      'CASE-C': 'active',
      'CASE-F': 'active',
    });
  });
});
