import { logTypes } from '../../../core/ingest/schemas';
import { acmeTraffic, ocspTraffic, TrafficOptions } from '../../../core/traffic';
import { generateOptions } from '../../../cli/commands/generate';

const options: TrafficOptions = {
  seed: 42,
  start: new Date('2026-11-27T00:00:00Z'),
  end: new Date('2026-11-28T00:00:00Z'),
  lines: 5000,
};

describe('ocspTraffic', () => {
  const lines = [...ocspTraffic(options)];

  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify([...ocspTraffic({ ...options, lines: 50 })])).toBe(
      JSON.stringify([...ocspTraffic({ ...options, lines: 50 })]),
    );
    expect(JSON.stringify([...ocspTraffic({ ...options, seed: 43, lines: 50 })])).not.toBe(
      JSON.stringify([...ocspTraffic({ ...options, lines: 50 })]),
    );
  });

  it('yields exactly the requested number of valid lines, in time order, inside the range', () => {
    expect(lines).toHaveLength(5000);
    for (const line of lines) expect(logTypes.ocsp.input.safeParse(line).success).toBe(true);
    const times = lines.map((l) => Date.parse(l.ts));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(options.start.getTime());
    expect(Math.max(...times)).toBeLessThan(options.end.getTime());
  });

  it('looks like real traffic: Zipf-skewed certificates, many clients, several browser and OS families', () => {
    const perSerial = new Map<string, number>();
    for (const l of lines) perSerial.set(l.serial, (perSerial.get(l.serial) ?? 0) + 1);
    const counts = [...perSerial.values()].sort((a, b) => b - a);
    // The busiest certificate gets far more than its uniform share (5000 / 10000).
    expect(counts[0]).toBeGreaterThan(100);
    expect(perSerial.size).toBeGreaterThan(1000);
    expect(new Set(lines.map((l) => l.client_ip)).size).toBeGreaterThan(1000);
    expect(lines.some((l) => l.client_ip.includes(':'))).toBe(true);
    const parsed = lines.map((l) => logTypes.ocsp.input.parse(l));
    expect(new Set(parsed.map((r) => r.browser_family)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(parsed.map((r) => r.os_family)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(parsed.map((r) => r.status))).toEqual(
      new Set(['good', 'revoked', 'unknown', 'error']),
    );
  });
});

describe('acmeTraffic', () => {
  const lines = [...acmeTraffic(options)];

  it('yields valid, ordered events covering the whole issuance flow', () => {
    expect(lines).toHaveLength(5000);
    for (const line of lines) expect(logTypes.acme.input.safeParse(line).success).toBe(true);
    const times = lines.map((l) => Date.parse(l.ts));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(lines.map((l) => l.endpoint))).toEqual(
      new Set(['new-nonce', 'new-order', 'authz', 'challenge', 'finalize', 'order', 'cert']),
    );
    expect(new Set(lines.map((l) => l.validation_result))).toEqual(
      new Set([null, 'pending', 'valid', 'invalid']),
    );
    expect(new Set(lines.map((l) => l.account_id)).size).toBeGreaterThan(100);
  });
});

describe('logvault generate options', () => {
  it('spreads --days before --end and defaults the seed', () => {
    const { type, options: o } = generateOptions([
      '--type',
      'acme',
      '--lines',
      '10',
      '--days',
      '2',
      '--end',
      '2026-11-28T00:00:00Z',
    ]);
    expect(type).toBe('acme');
    expect(o).toEqual({
      seed: 1,
      lines: 10,
      end: new Date('2026-11-28T00:00:00Z'),
      start: new Date('2026-11-26T00:00:00Z'),
    });
  });

  it.each([
    [['--lines', '10']],
    [['--type', 'ocsp']],
    [['--type', 'ocsp', '--lines', '-1']],
    [['--type', 'ocsp', '--lines', '1.5']],
    [['--type', 'ocsp', '--lines', '3', '--end', 'yesterday']],
  ])('rejects %j', (argv) => {
    expect(() => generateOptions(argv)).toThrow();
  });
});
