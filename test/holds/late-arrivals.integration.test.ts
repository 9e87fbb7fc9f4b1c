import { applyHold } from '../../core/holds';
import { HoldFixture, archiveLegalHold, loadHoldFixture, putVersion } from './hold-fixture';

/**
 * ACME scopes mean record time, not arrival time (issue 15): Firehose files
 * an event under the hour it arrived, so events made just before `to` sit
 * in a later hour's prefix. The apply lists the arrival hours past `to` by
 * the lateness margin the analytics use (core/time/margins.ts: 1 h before,
 * 2 h after) and keeps their objects only for an event whose own time is in scope.
 */
const event = (ts: string, account = 'acct-1') =>
  JSON.stringify({ ts, account_id: account, source_ip: '192.0.2.1', identifiers: ['a.example'] });

describe('ACME holds by record time, with the arrival margin', () => {
  let f: HoldFixture;
  const stored = new Map<string, { key: string; versionId: string }>();
  const put = async (name: string, hour: string, ...ts: string[]) => {
    const key = `acme/2026/11/18/${hour}/logvault-dev-acme-1-${name}`;
    const account = name.endsWith('acct-2') ? 'acct-2' : 'acct-1';
    const body = ts.map((t) => event(`2026-11-18T${t}Z`, account)).join('\n') + '\n';
    stored.set(name, { key, versionId: await putVersion(f, f.archive, key, body) });
  };
  const held = async (name: string) => (await archiveLegalHold(f, stored.get(name)!)) === 'ON';

  beforeAll(async () => {
    f = await loadHoldFixture();
    // Scope 03:00-04:00. Filed under (arrival hour) / made at (record time):
    await put('inside', '03', '03:10:00');
    await put('late-1h', '04', '03:58:00', '03:59:30'); // shipped at 04:24
    await put('late-2h', '05', '03:59:59.900', '05:01:00'); // one event in scope: held whole
    await put('next-hour', '04', '04:10:00'); // arrived late hour, made after `to`
    await put('early-clock', '02', '03:00:30'); // responder clock ahead
    await put('before', '02', '02:30:00');
    await put('past-margin', '06', '03:59:00'); // more than 2 h late: outside the margin
  }, 240_000);

  it('holds events that arrived after --to by up to the margin, by their own time', async () => {
    const outcome = await applyHold(f.deps, {
      case: {
        caseId: 'LATE-1',
        dataset: 'acme',
        scope: { from: '2026-11-18T03:00:00Z', to: '2026-11-18T04:00:00Z', filters: {} },
        reason: 'late arrivals',
        ticket: 'LEGAL-40',
        requester: 'oncall@example.com',
      },
      dryRun: false,
    });
    expect(outcome).toMatchObject({ result: 'complete', objectCount: 4 });
    for (const name of ['inside', 'late-1h', 'late-2h', 'early-clock'])
      expect([name, await held(name)]).toEqual([name, true]);
    for (const name of ['next-hour', 'before', 'past-margin'])
      expect([name, await held(name)]).toEqual([name, false]);
  });

  it('applies filters to late arrivals by record time too', async () => {
    await put('late-acct-2', '04', '03:57:00');
    await put('late-2h-acct-1', '05', '03:45:00');
    const outcome = await applyHold(f.deps, {
      case: {
        caseId: 'LATE-2',
        dataset: 'acme',
        scope: {
          from: '2026-11-18T03:30:00Z',
          to: '2026-11-18T03:59:00Z',
          filters: { accountIds: ['acct-1'] },
        },
        reason: 'late arrivals, one account',
        ticket: 'LEGAL-41',
        requester: 'oncall@example.com',
      },
      dryRun: true,
    });
    // late-1h (03:58) and late-2h-acct-1 (03:45); not late-acct-2, nor what was made before 03:30.
    expect(outcome).toMatchObject({ result: 'dry-run', objectCount: 2, newlyHeld: 1 });
  });
});
