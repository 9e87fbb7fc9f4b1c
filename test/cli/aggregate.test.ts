import { UsageError } from '../../cli/command';
import { requestedDays } from '../../cli/commands/aggregate';

describe('logvault aggregate: which days', () => {
  const now = new Date('2026-11-29T10:00:00Z');

  it('takes yesterday by default', () => {
    expect(requestedDays({}, 5, now)).toEqual(['2026-11-28']);
  });

  it('backfills an inclusive range', () => {
    expect(requestedDays({ from: '2026-11-25', to: '2026-11-27' }, 5, now)).toEqual([
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
    ]);
  });

  it('refuses the whole range when it starts before the raw window, naming the window', () => {
    const attempt = () => requestedDays({ from: '2026-11-23', to: '2026-11-26' }, 5, now);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(
      /^--from 2026-11-23 is before 2026-11-25: only 2026-11-25 to 2026-11-28 can be aggregated/,
    );
  });

  it('takes today only when asked, since it is still being written', () => {
    expect(requestedDays({ today: true }, 5, now)).toEqual(['2026-11-29']);
    expect(() => requestedDays({ day: '2026-11-29' }, 5, now)).toThrow(
      /today is still being written: use --today/,
    );
  });

  it('refuses contradictory or malformed options', () => {
    expect(() => requestedDays({ day: '2026-11-27', from: '2026-11-26' }, 5, now)).toThrow(
      /one of --day, --from\/--to and --today/,
    );
    expect(() => requestedDays({ today: true, day: '2026-11-28' }, 5, now)).toThrow(/one of/);
    expect(() => requestedDays({ from: '2026-11-26' }, 5, now)).toThrow(/go together/);
    expect(() => requestedDays({ day: '2026-11-31' }, 5, now)).toThrow(
      /--day "2026-11-31" is not a UTC day/,
    );
    expect(() => requestedDays({ from: '2026-11-28', to: '2026-11-27' }, 5, now)).toThrow(/after/);
  });
});
