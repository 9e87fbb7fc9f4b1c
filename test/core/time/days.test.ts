import {
  OutsideRawWindowError,
  assertInRawWindow,
  parseDay,
  rawWindow,
} from '../../../core/time/days';

describe('days', () => {
  it('refuses impossible and malformed days', () => {
    expect(() => parseDay('2026-02-30')).toThrow(/not a day/);
    expect(() => parseDay('2026-2-3')).toThrow(/not a day/);
    expect(parseDay('2028-02-29').toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('allows yesterday back to the oldest day whose raw logs are all still there', () => {
    const now = new Date('2026-11-29T02:30:00Z');
    expect(rawWindow(now, 5)).toEqual({ first: '2026-11-25', last: '2026-11-28' });
    expect(() => assertInRawWindow('2026-11-25', now, 5)).not.toThrow();
  });

  it('names the allowed range for a day outside the window', () => {
    const now = new Date('2026-11-29T02:30:00Z');
    expect(() => assertInRawWindow('2026-11-24', now, 5)).toThrow(OutsideRawWindowError);
    expect(() => assertInRawWindow('2026-11-29', now, 5)).toThrow(
      /only 2026-11-25 to 2026-11-28 can be aggregated/,
    );
  });
});
