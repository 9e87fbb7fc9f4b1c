import { toCsv } from '../../../core/csv';
import { sqlInteger, sqlString, sqlStringOrNull } from '../../../core/query/sql';

describe('SQL literals', () => {
  it('doubles single quotes so a value cannot end its literal', () => {
    expect(sqlString("acct' OR '1'='1")).toBe("'acct'' OR ''1''=''1'");
  });

  it('refuses control characters and non-integers', () => {
    expect(() => sqlString('a\nb')).toThrow(/control character/);
    expect(() => sqlInteger(1.5)).toThrow(/not an integer/);
  });

  it('renders an absent value as NULL', () => {
    expect(sqlStringOrNull(undefined)).toBe('NULL');
  });
});

describe('CSV', () => {
  it('quotes only fields that need it and writes NULL as empty', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', null],
          ['say "hi"', '1'],
        ],
      ),
    ).toBe('a,b\r\n"x,y",\r\n"say ""hi""",1\r\n');
  });
});
