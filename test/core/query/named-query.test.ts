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
      /missing --serial[\s\S]*missing --limit[\s\S]*takes no parameter "colour"/,
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
