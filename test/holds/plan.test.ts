import { caseRequestSchema } from '../../core/holds/case';
import { boundedOutcome } from '../../core/holds/response';
import { checkOcspRange, extractSql, filterRows, filterTable } from '../../core/holds/ocsp-extract';
import { extractAttemptPrefix } from '../../core/naming';
import {
  acmeEventMatcher,
  arrivalHourOfKey,
  arrivalHourPrefixes,
  arrivalTreatment,
  fingerprintOf,
  ipMatcher,
} from '../../core/holds/plan';

const request = (overrides: Record<string, unknown> = {}) =>
  caseRequestSchema.parse({
    caseId: 'CASE-7',
    dataset: 'ocsp',
    scope: { from: '2026-11-20T10:30:00Z', to: '2026-11-20T12:00:00Z', filters: {} },
    reason: 'r',
    ticket: 't',
    requester: 'q',
    ...overrides,
  });

describe('hold planning', () => {
  it('reads the arrival hour from an archive key, and nothing from any other key', () => {
    expect(arrivalHourOfKey('acme/', 'acme/2026/11/18/04/logvault-dev-acme-1-x')).toBe(
      Date.parse('2026-11-18T04:00:00Z'),
    );
    for (const key of [
      'digests/2026/11/18/04/x',
      'acme/2026/13/18/04/x',
      'acme/2026/02/30/04/x',
      'acme/2026/11/18/4/x',
      'acme/x',
    ])
      expect([key, arrivalHourOfKey('acme/', key)]).toEqual([key, undefined]);
  });

  it('treats an arrival hour as the apply lists it: margin hours read, range hours unread unless filtered', () => {
    const treat = (hour: string, filtered = false) =>
      arrivalTreatment(
        '2026-11-18T03:30:00Z',
        '2026-11-18T05:00:00Z',
        filtered,
        Date.parse(`2026-11-18T${hour}:00:00Z`),
      );
    // Exactly the hours arrivalHourPrefixes lists are not outside.
    const listed = arrivalHourPrefixes('acme/', '2026-11-18T03:30:00Z', '2026-11-18T05:00:00Z');
    expect(listed).toEqual(['02', '03', '04', '05', '06'].map((h) => `acme/2026/11/18/${h}/`));
    expect(['01', '02', '03', '04', '05', '06', '07'].map((h) => treat(h))).toEqual([
      'outside',
      'read',
      'unread',
      'unread',
      'read',
      'read',
      'outside',
    ]);
    expect(treat('03', true)).toBe('read');
  });

  it('lists arrival hours one before and two past the range (the analytics margin)', () => {
    expect(arrivalHourPrefixes('acme/', '2026-12-31T23:00:00Z', '2027-01-01T00:00:00Z')).toEqual([
      'acme/2026/12/31/22/',
      'acme/2026/12/31/23/',
      'acme/2027/01/01/00/',
      'acme/2027/01/01/01/',
    ]);
  });

  it('matches IPv4 and IPv6 addresses and blocks', () => {
    const match = ipMatcher(['192.0.2.0/24', '2001:db8::/32', '198.51.100.7']);
    expect(['192.0.2.9', '2001:db8::1', '198.51.100.7'].map(match)).toEqual([true, true, true]);
    expect(['192.0.3.1', '2001:db9::1', '198.51.100.8', 'nonsense'].map(match)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('matches ACME events by time, account and domain (wildcards cover subdomains)', () => {
    const matches = acmeEventMatcher('2026-11-20T10:00:00Z', '2026-11-20T11:00:00Z', {
      accountIds: ['a1'],
      domains: ['*.example.com'],
    });
    const e = {
      ts: '2026-11-20T10:59:59.999Z',
      account_id: 'a1',
      source_ip: '192.0.2.1',
      identifiers: ['www.example.com'],
    };
    expect(matches(e)).toBe(true);
    expect(matches({ ...e, identifiers: ['example.com.evil.net'] })).toBe(false);
    expect(matches({ ...e, account_id: 'a2' })).toBe(false);
    expect(matches({ ...e, ts: '2026-11-20T11:00:00.000Z' })).toBe(false);
  });

  it('fingerprints the scope regardless of filter order', () => {
    const a = request({
      scope: {
        from: '2026-11-20T10:30:00Z',
        to: '2026-11-20T12:00:00Z',
        filters: { serials: ['aa', 'bb'] },
      },
    });
    const b = request({
      scope: {
        from: '2026-11-20T10:30:00Z',
        to: '2026-11-20T12:00:00Z',
        filters: { serials: ['bb', 'aa'] },
      },
    });
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    expect(fingerprintOf(a)).not.toBe(fingerprintOf(request()));
  });

  it('writes the extract under the case prefix and reads the arrival margin around the range', () => {
    const scoped = request({
      scope: {
        from: '2026-11-20T10:30:00Z',
        to: '2026-11-20T12:00:00Z',
        filters: { ips: ['192.0.2.0/24'], serials: ['ab'] },
      },
    });
    const filters = filterTable(
      { buckets: { archive: 'a', investigations: 'inv-bucket' } },
      'logvault_dev',
      'CASE-7',
      'apply',
    );
    const location = {
      bucket: 'inv-bucket',
      prefix: extractAttemptPrefix('CASE-7', 2, 'c0ffee01'),
    };
    const sql = extractSql(scoped, 'logvault_dev', location, filters);
    expect(sql).toContain("external_location = 's3://inv-bucket/cases/CASE-7/attempt-2-c0ffee01/'");
    expect(sql).toContain('CREATE TABLE logvault_dev.hold_extract_case_7');
    // One hour before and two after (core/time/margins.ts), as the daily job reads a day.
    expect(sql).toContain("r.hour BETWEEN '2026/11/20/09' AND '2026/11/20/13'");
    // Filters reach the engine as data, through the case's filter table, never as literals.
    expect(sql).toContain('FROM logvault_dev.hold_extract__f_case_7');
    expect(sql).not.toContain('192.0.2');
    expect(sql).not.toMatch(/'ab'/);
    expect(sql).not.toContain('{{');
    expect(filters.prefix).toBe('cases/_filters/CASE-7/apply/');
    expect(filterRows(scoped.scope.filters)).toEqual([
      { kind: 'network', value: '192.0.2.0/24' },
      { kind: 'serial', value: 'ab' },
    ]);
  });

  it('explains an expired or future OCSP range', () => {
    const now = new Date('2026-11-26T00:00:00Z');
    expect(() => checkOcspRange(request(), now, 5)).toThrow(
      /deleted after 5 days: records before 2026-11-21T00:00:00.000Z may already be gone/,
    );
    expect(() => checkOcspRange(request(), new Date('2026-11-20T11:00:00Z'), 5)).toThrow(
      /in the future/,
    );
    expect(() => checkOcspRange(request(), new Date('2026-11-21T00:00:00Z'), 5)).not.toThrow();
  });
});

describe('handler responses', () => {
  it('list at most 100 failures and carry the total', () => {
    const failures = Array.from({ length: 250 }, (_, i) => ({ key: `k${i}`, error: 'boom' }));
    const outcome = boundedOutcome({
      caseId: 'C-1',
      result: 'incomplete',
      objectCount: 250,
      bytes: 0,
      processed: 0,
      failures,
    });
    expect(outcome.failures).toHaveLength(100);
    expect(outcome.failureCount).toBe(250);
  });
});
