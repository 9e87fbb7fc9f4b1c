import type { Context } from 'aws-lambda';
import { GetObjectLegalHoldCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { handler as applyHandler } from '../../lambdas/hold-apply';
import { handler as releaseHandler } from '../../lambdas/hold-release';
import { handler as statusHandler } from '../../lambdas/hold-status';
import { HoldFixture, loadHoldFixture, putVersion } from './hold-fixture';

/**
 * Generated malformed and hostile requests, sent to the real handlers against
 * the stand-in: each must be refused with a message naming the problem, and
 * none may leave a case, an audit entry, a hold or an object behind.
 */

const context = { getRemainingTimeInMillis: () => 900_000 } as Context;

const hostileIds: unknown[] = [
  '../etc/passwd',
  '..',
  '.',
  '/',
  'a/b',
  'CASE/../x',
  'cases/CASE-1',
  '%2e%2e%2f',
  'CASE%2F1',
  'CASE 1',
  ' CASE-1',
  'CASE-1 ',
  '',
  'ab',
  'x'.repeat(65),
  'x'.repeat(10_000),
  'CASE--1',
  '-CASE',
  'CASE-',
  'CASE.1',
  'CASE_1',
  'CASE:1',
  'CASE\u00001',
  'CASE\n1',
  'ÄBC-1',
  'CASE-１',
  '${jndi:x}',
  "x'; DROP TABLE t; --",
  '<script>',
  '~root',
  '\\\\server\\share',
  'CASE*',
  'CASE?',
  'C#1',
  123,
  0,
  -1,
  null,
  true,
  [],
  {},
  ['CASE-1'],
  { id: 'CASE-1' },
];

const good = {
  caseId: 'CASE-1',
  dataset: 'acme',
  scope: { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: {} },
  reason: 'subpoena',
  ticket: 'LEGAL-1',
  requester: 'oncall@example.com',
};

const scopes: unknown[] = [
  { from: '2026-11-20T12:00:00Z', to: '2026-11-20T10:00:00Z' },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T10:00:00Z' },
  { from: '2020-01-01T00:00:00Z', to: '2026-11-20T00:00:00Z' },
  { from: '2026-11-20T10:00:00+01:00', to: '2026-11-20T12:00:00Z' },
  { from: '2026-11-20', to: '2026-11-21' },
  { from: 'yesterday', to: 'today' },
  { from: '2026-13-40T00:00:00Z', to: '2026-14-01T00:00:00Z' },
  { from: 1_700_000_000, to: 1_700_003_600 },
  { from: null, to: null },
  { from: '2026-11-20T10:00:00Z' },
  {},
  'all of it',
  null,
  [],
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', extra: 1 },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { ips: ['300.1.1.1'] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { ips: ['10.0.0.0/33'] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { ips: ['::1/129'] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { ips: ['10.0.0.0/8/8'] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { ips: [] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { ips: '10.0.0.1' } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { serials: ['ABC'] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { domains: ['a.com/x'] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { domains: ['A.COM'] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { accountIds: [''] } },
  { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: { sql: '1=1' } },
  {
    from: '2026-11-20T10:00:00Z',
    to: '2026-11-20T12:00:00Z',
    filters: { domains: Array.from({ length: 101 }, (_, i) => `d${i}.example.com`) },
  },
];

const fieldMutations: Record<string, unknown>[] = [
  { dataset: 'sql' },
  { dataset: 'ACME' },
  { dataset: null },
  { reason: '' },
  { reason: '   ' },
  { reason: 'x'.repeat(1001) },
  { reason: 'line\u0007bell' },
  { ticket: 42 },
  { ticket: 'x'.repeat(129) },
  { requester: undefined },
  { requester: ['a'] },
  { extra: 'field' },
  { __proto__: { polluted: true }, extra: 1 },
  { dataset: 'ocsp', scope: { ...good.scope, filters: { domains: ['a.example.com'] } } },
  { dataset: 'acme', scope: { ...good.scope, filters: { serials: ['ab12'] } } },
  // Well-formed OCSP ranges the raw bucket no longer (or never) holds.
  { dataset: 'ocsp', scope: { from: '2020-01-01T00:00:00Z', to: '2020-01-01T01:00:00Z' } },
  { dataset: 'ocsp', scope: { from: '2099-01-01T00:00:00Z', to: '2099-01-01T01:00:00Z' } },
];

function applyEvents(): unknown[] {
  const events: unknown[] = [
    null,
    undefined,
    'apply',
    42,
    [],
    {},
    { case: null },
    { case: good, dryRun: 'yes' },
  ];
  for (const dryRun of [false, true])
    for (const dataset of ['acme', 'ocsp']) {
      for (const caseId of hostileIds) events.push({ case: { ...good, dataset, caseId }, dryRun });
      for (const scope of scopes) events.push({ case: { ...good, dataset, scope }, dryRun });
    }
  for (const m of fieldMutations) events.push({ case: { ...good, ...m } });
  events.push({ case: good, extra: true });
  return events;
}

function releaseEvents(): unknown[] {
  const base = { caseId: 'CASE-1', requester: 'oncall@example.com', reason: 'closed' };
  const events: unknown[] = [null, undefined, 'release', 7, [], {}];
  for (const dryRun of [false, true, 'no', 1]) {
    for (const caseId of hostileIds) events.push({ ...base, caseId, dryRun });
  }
  for (const m of [
    { requester: '' },
    { reason: '' },
    { reason: 'x'.repeat(1001) },
    { requester: 5 },
    { extra: 1 },
  ])
    events.push({ ...base, ...m });
  // Well-formed ids of cases that do not exist.
  for (let i = 0; i < 30; i++) events.push({ ...base, caseId: `NOPE-${i}` });
  return events;
}

function statusEvents(): unknown[] {
  const events: unknown[] = [
    null,
    undefined,
    'status',
    7,
    [],
    {},
    { list: false },
    { list: 'yes' },
  ];
  for (const caseId of hostileIds) {
    events.push({ caseId });
    events.push({ caseId, list: true });
    events.push({ caseId: [caseId] });
    events.push({ case: { caseId } });
  }
  for (let i = 0; i < 30; i++) events.push({ caseId: `NOPE-${i}` });
  return events;
}

describe('hold handlers refuse malformed and hostile input', () => {
  let f: HoldFixture;
  let archived: { key: string; versionId: string }[];

  // Synthesizing both stacks (every function bundled) takes tens of seconds.
  beforeAll(async () => {
    f = await loadHoldFixture();
    archived = [];
    for (const hour of ['10', '11'])
      for (const n of [1, 2, 3]) {
        const key = `acme/2026/11/20/${hour}/obj-${n}`;
        archived.push({ key, versionId: await putVersion(f, f.archive, key, '{}\n') });
      }
    // The functions' contract (core/env/holds.ts), without HOLD_BATCH_ROLE_ARN.
    Object.assign(process.env, {
      POWERTOOLS_SERVICE_NAME: 'logvault-hold-test',
      LOGVAULT_STAGE: 'dev',
      HOLD_REGISTRY_TABLE: f.deps.registry.tableName,
      HOLD_AUDIT_TABLE: f.deps.registry.auditTableName,
      HOLD_CASE_KEY_ID: f.deps.caseKeys.keyId,
      ARCHIVE_BUCKET: f.archive,
      INVESTIGATIONS_BUCKET: f.investigations,
      LOGVAULT_GLUE_DATABASE: 'logvault_dev',
      LOGVAULT_QUERY_ENGINE: 'trino',
      ATHENA_WORKGROUP: 'logvault-dev-jobs',
      HOLD_CONCURRENCY: '16',
      OCSP_RAW_EXPIRY_DAYS: '5',
      // The six archived objects exceed it: a "huge scope" for the direct path.
      HOLD_LARGE_SCOPE_THRESHOLD: '5',
    });
  }, 240_000);

  const expectNoState = async () => {
    expect(await f.deps.registry.listCases()).toEqual([]);
    for (const o of archived) {
      const hold = await f.clients.s3
        .send(
          new GetObjectLegalHoldCommand({ Bucket: f.archive, Key: o.key, VersionId: o.versionId }),
        )
        .catch(() => undefined);
      expect(hold?.LegalHold?.Status).not.toBe('ON');
    }
    const extracts = await f.clients.s3.send(
      new ListObjectVersionsCommand({ Bucket: f.investigations }),
    );
    expect(extracts.Versions ?? []).toEqual([]);
  };

  const refuses = async (
    handler: (event: unknown, context: Context) => Promise<unknown>,
    events: unknown[],
  ) => {
    expect(events.length).toBeGreaterThanOrEqual(200);
    for (const event of events) {
      const response = (await handler(event, context)) as { ok: boolean; rejected?: string };
      expect({ event, ok: response.ok }).toEqual({ event, ok: false });
      expect(response.rejected).toMatch(
        /^invalid request: .+: .+|does not exist|raw OCSP logs are deleted|in the future|more than holds.largeScopeThreshold/,
      );
    }
    await expectNoState();
  };

  it('apply: at least 200 generated requests', () => refuses(applyHandler, applyEvents()), 120_000);
  it(
    'release: at least 200 generated requests',
    () => refuses(releaseHandler, releaseEvents()),
    120_000,
  );
  it(
    'status: at least 200 generated requests',
    () => refuses((event) => statusHandler(event), statusEvents()),
    120_000,
  );
  it('apply refuses a scope above the threshold when no batch role is configured, opening no case', async () => {
    const response = await applyHandler({ case: good }, context);
    expect(response).toEqual({
      ok: false,
      rejected: expect.stringMatching(
        /scope has 6 object versions, more than holds.largeScopeThreshold \(5\), and S3 Batch Operations is not configured \(HOLD_BATCH_ROLE_ARN\)/,
      ),
    });
    await expectNoState();
  });
});
