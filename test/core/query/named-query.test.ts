import {
  NamedQueryError,
  namedQueries,
  parseNamedQuery,
  renderNamedQuery,
} from '../../../core/query/named-query';
import { queryRunnerFromEnv } from '../../../core/query/from-env';

const file = `-- description: requests for one certificate on one day
-- param: date day
-- param: serial hex
-- param: limit integer
SELECT * FROM ocsp_requests WHERE substr(ts, 1, 10) = {{date}} AND serial = {{serial}} LIMIT {{limit}}`;

describe('named queries', () => {
  const query = parseNamedQuery('per-cert', file);

  it('reads the description and the typed parameters from the header', () => {
    expect(query.description).toBe('requests for one certificate on one day');
    expect(query.params).toEqual([
      { name: 'date', type: 'day' },
      { name: 'serial', type: 'hex' },
      { name: 'limit', type: 'integer' },
    ]);
  });

  it('renders validated values as SQL literals', () => {
    expect(renderNamedQuery(query, { date: '2026-11-28', serial: '0a1b', limit: '10' })).toContain(
      "= '2026-11-28' AND serial = '0a1b' LIMIT 10",
    );
  });

  it.each([
    ["2026-11-28' OR '1'='1", 'date'],
    ['2026-02-30', 'date'],
    ['28.11.2026', 'date'],
    ["0a'; DROP TABLE x; --", 'serial'],
    ['0A1B', 'serial'],
    ['10; DELETE', 'limit'],
  ])('refuses %s for --%s instead of splicing it', (value, name) => {
    const values = { date: '2026-11-28', serial: '0a1b', limit: '10', [name]: value };
    expect(() => renderNamedQuery(query, values)).toThrow(NamedQueryError);
  });

  it('lists every missing and unknown parameter at once', () => {
    expect(() => renderNamedQuery(query, { date: '2026-11-28', colour: 'red' })).toThrow(
      /missing serial=HEX[\s\S]*missing limit=N[\s\S]*takes no parameter "colour"/,
    );
  });

  const now = new Date('2026-11-30T10:00:00Z');
  const range = parseNamedQuery(
    'range',
    '-- param: from day\n-- param: to day\n-- range: from to\nSELECT {{from}}, {{to}}',
  );

  it('refuses a range given backwards instead of answering it with no rows', () => {
    expect(renderNamedQuery(range, { from: '2026-11-01', to: '2026-11-01' }, { now })).toContain(
      "'2026-11-01', '2026-11-01'",
    );
    expect(() =>
      renderNamedQuery(range, { from: '2026-11-20', to: '2026-11-01' }, { now }),
    ).toThrow('from=2026-11-20 is after to=2026-11-01: give the earlier day first');
  });

  it('refuses days after today, which have no records and (9999-12-31) no partitions', () => {
    expect(() =>
      renderNamedQuery(range, { from: '2026-11-01', to: '9999-12-31' }, { now }),
    ).toThrow('to=9999-12-31 is after today (2026-11-30 UTC): no record can be from it');
    expect(renderNamedQuery(range, { from: '2000-01-01', to: '2026-11-30' }, { now })).toContain(
      "'2000-01-01'",
    );
  });

  it('names parameters the way the caller gives them, and escapes what it echoes', () => {
    const spell = (name: string) => `--param ${name}=`;
    expect(() =>
      renderNamedQuery(query, { date: '2026-11-28', serial: 'a\u001b[2J', limit: '1' }, { spell }),
    ).toThrow('--param serial="a\\u001b[2J" is not lowercase hex, 1 to 128 digits');
    expect(() => parseNamedQuery('q', '-- param: a day\n-- range: a b\nSELECT {{a}}')).toThrow(
      /range end "b" is not a day parameter/,
    );
  });

  it('rejects a placeholder without a param line and a malformed param line', () => {
    expect(() => parseNamedQuery('q', 'SELECT {{x}}')).toThrow(/without a "-- param: x" line/);
    expect(() => parseNamedQuery('q', '-- param: x timestamp\nSELECT {{x}}')).toThrow(
      /bad parameter line/,
    );
  });

  it('parses every file in sql/queries', () => {
    expect(namedQueries().size).toBeGreaterThan(0);
  });
});

describe('queryRunnerFromEnv', () => {
  it('picks Trino or Athena from LOGVAULT_QUERY_ENGINE', () => {
    expect(queryRunnerFromEnv({ LOGVAULT_QUERY_ENGINE: 'trino' }).engine).toBe('trino');
    expect(queryRunnerFromEnv({ ATHENA_WORKGROUP: 'logvault-dev' }).engine).toBe('athena');
  });

  it('names what is missing or wrong', () => {
    expect(() => queryRunnerFromEnv({})).toThrow(/ATHENA_WORKGROUP/);
    expect(() => queryRunnerFromEnv({ LOGVAULT_QUERY_ENGINE: 'duckdb' })).toThrow(
      /expected "athena" or "trino"/,
    );
  });
});
