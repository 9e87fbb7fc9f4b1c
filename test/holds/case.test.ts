import { caseRequestSchema, releaseEventSchema } from '../../core/holds/case';
import { fingerprintOf } from '../../core/holds/plan';

/** The case model's edge: one spelling per id, instant and network, and absurd values refused. */

const base = {
  caseId: 'COLL-1',
  dataset: 'acme',
  scope: { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00Z', filters: {} },
  reason: 'subpoena',
  ticket: 'LEGAL-1',
  requester: 'oncall@example.com',
};
const parse = (overrides: Record<string, unknown>) =>
  caseRequestSchema.safeParse({ ...base, ...overrides });
const messages = (overrides: Record<string, unknown>) => {
  const result = parse(overrides);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('case requests', () => {
  it('treats case ids case-insensitively (SQL folds table names): coll-1 is COLL-1', () => {
    expect(caseRequestSchema.parse({ ...base, caseId: 'coll-1' }).caseId).toBe('COLL-1');
    expect(releaseEventSchema.parse({ caseId: 'Coll-1', requester: 'r', reason: 'x' }).caseId).toBe(
      'COLL-1',
    );
  });

  it('reads `.000Z` and `Z` as the same instant, so a rerun is the same scope', () => {
    const a = caseRequestSchema.parse(base);
    const b = caseRequestSchema.parse({
      ...base,
      scope: { ...base.scope, from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T12:00:00.0Z' },
    });
    expect(b.scope.from).toBe('2026-11-20T10:00:00.000Z');
    expect(fingerprintOf(b)).toBe(fingerprintOf(a));
  });

  it.each(['2999-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z'])(
    'refuses the absurd instant %s, naming the range',
    (instant) => {
      const from = instant < '2000' ? instant : '2026-11-20T10:00:00Z';
      const to = instant < '2000' ? '2026-11-20T12:00:00Z' : instant;
      expect(messages({ scope: { from, to, filters: {} } }).join('\n')).toMatch(
        /must be on or after 2015-01-01 and before 2100-01-01/,
      );
    },
  );

  it('refuses an IPv6 zone id and host bits without repeating the address', () => {
    for (const ip of ['fe80::1%eth0', '192.0.2.1/24']) {
      const text = messages({ scope: { ...base.scope, filters: { ips: [ip] } } }).join('\n');
      expect(text).toMatch(/scope\.filters\.ips\.0: not a valid IP address or network/);
      expect(text).not.toContain(ip.split('/')[0]!.split('%')[0]);
    }
  });

  it('stores IP filters canonically (mapped IPv6 as IPv4, an address as its /32)', () => {
    const parsed = caseRequestSchema.parse({
      ...base,
      scope: { ...base.scope, filters: { ips: ['::ffff:192.0.2.7', '2001:DB8::/32'] } },
    });
    expect(parsed.scope.filters.ips).toEqual(['192.0.2.7/32', '2001:db8::/32']);
  });
});
