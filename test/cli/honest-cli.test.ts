import { main } from '../../cli/main';
import { formatResult } from '../../cli/commands/query';
import { addDays, formatDay } from '../../core/time/days';
import { renderTable } from '../../core/format/table';

/**
 * The analytics commands as an analyst meets them (issue 16, "An honest
 * CLI"): every refusal exits 2 before any query runs, names the option and
 * the fix, and what the data holds cannot drive the analyst's terminal.
 * No stand-in is needed: each refusal happens before a runner is called.
 */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const spies = [
    jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s)),
    jest.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s)),
    jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0),
    jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((s: string | Uint8Array) => err.push(String(s)) > 0),
  ];
  try {
    const code = await main(argv);
    // The first line is the message; the command's usage follows it.
    return { code, out: out.join(''), message: err.join('').split('\n\nusage:')[0]! };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('logvault query: what --list shows is what it takes', () => {
  beforeAll(() => {
    process.env.LOGVAULT_QUERY_ENGINE = 'trino';
    process.env.TRINO_URL ??= 'http://127.0.0.1:1';
  });

  it('lists parameters as the options that give them', async () => {
    const { code, out } = await run('query', '--list');
    expect(code).toBe(0);
    expect(out).toContain('cert-volume  --date YYYY-MM-DD --param serial=HEX');
    expect(out).toContain('top-certificates-range  --param from=YYYY-MM-DD --param to=YYYY-MM-DD');
    expect(out).not.toMatch(/--(serial|from|to) /);
  });

  it('answers a parameter given as its own option with the option that works', async () => {
    const { code, message } = await run('query', 'cert-volume', '--serial', '01');
    expect(code).toBe(2);
    expect(message).toBe(
      'logvault query: unknown option --serial; a query parameter is given as --param serial=VALUE (see --list)',
    );
  });

  it('names missing parameters by the option that gives them', async () => {
    const { code, message } = await run('query', 'top-certificates-range');
    expect(code).toBe(2);
    expect(message).toMatch(/missing --param from=YYYY-MM-DD\nmissing --param to=YYYY-MM-DD/);
  });

  it('refuses a range given backwards instead of answering 0 rows', async () => {
    const yesterday = addDays(formatDay(new Date()), -1);
    const { code, message } = await run(
      'query',
      'top-certificates-range',
      '--param',
      `from=${yesterday}`,
      '--param',
      'to=2026-01-01',
    );
    expect(code).toBe(2);
    expect(message).toContain(
      `--param from=${yesterday} is after --param to=2026-01-01: give the earlier day first`,
    );
  });

  it('refuses 9999-12-31 by name instead of crashing on year 10000', async () => {
    const { code, message } = await run('query', 'acme-activity', '--date', '9999-12-31');
    expect(code).toBe(2);
    expect(message).toMatch(/--date 9999-12-31 is after today \(\d{4}-\d\d-\d\d UTC\)/);
  });

  it.each([
    [
      ['cert-volume', '--param', 'serial=01', '--param', 'serial=02'],
      '--param "serial" is given more than once',
    ],
    [
      ['acme-activity', '--date', '2026-11-01', '--date', '2026-11-02'],
      '--date is given more than once',
    ],
    [
      ['acme-activity', '--date', '2026-11-01', '--param', 'date=2026-11-02'],
      '--date and --param date= both',
    ],
    [['acme-activity', '--format', 'xml'], '--format "xml": use one of table, csv, json, ndjson'],
  ])('refuses %j rather than keep the last value: %s', async (argv, expected) => {
    const { code, message } = await run('query', ...argv);
    expect(code).toBe(2);
    expect(message).toContain(expected);
  });

  it('echoes input with its control characters escaped', async () => {
    const { code, message } = await run('query', 'x\u001b]0;pwned\u0007');
    expect(code).toBe(2);
    expect(message).toContain('unknown query "x\\u001b]0;pwned\\u0007"');
    // eslint-disable-next-line no-control-regex -- exactly what must not reach the terminal
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });
});

describe('logvault aggregate: a range it cannot do is one clear refusal', () => {
  const today = formatDay(new Date());

  it('refuses a range ending 9999-12-31 with the days it can do', async () => {
    const { code, message } = await run(
      'aggregate',
      '--from',
      addDays(today, -2),
      '--to',
      '9999-12-31',
    );
    expect(code).toBe(2);
    expect(message).toBe(
      `logvault aggregate: --to 9999-12-31 is after ${addDays(today, -1)}: only ` +
        `${addDays(today, -4)} to ${addDays(today, -1)} can be aggregated ` +
        '(raw logs expire after 5 days; today is still being written: use --today)',
    );
  });

  it('refuses a range from 2000 in one line, not one line per day', async () => {
    const { code, message } = await run(
      'aggregate',
      '--from',
      '2000-01-01',
      '--to',
      addDays(today, -1),
    );
    expect(code).toBe(2);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`--from 2000-01-01 is before ${addDays(today, -4)}`);
  });

  it('names the option of a malformed day, and an unknown option with what exists', async () => {
    expect((await run('aggregate', '--day', '2026-02-30')).message).toBe(
      'logvault aggregate: --day "2026-02-30" is not a UTC day YYYY-MM-DD',
    );
    const unknown = await run('aggregate', '--days', '3');
    expect(unknown.code).toBe(2);
    expect(unknown.message).toBe(
      'logvault aggregate: unknown option --days; this command takes --day, --from, --to, --bucket, --stage, --today',
    );
    expect((await run('aggregate', '--stage', 'nope')).code).toBe(2);
  });
});

describe('logvault report: usage errors are usage errors', () => {
  it('refuses from after to with exit 2 before running anything', async () => {
    const r = await run(
      'report',
      'personal-data',
      '--account',
      'a1',
      '--from',
      '2026-11-20',
      '--to',
      '2026-11-01',
    );
    expect(r.code).toBe(2);
    expect(r.message).toContain('--from 2026-11-20 is after --to 2026-11-01');
  });

  it('names --ip and what it takes, never the value (it identifies someone)', async () => {
    const r = await run('report', 'personal-data', '--ip', '300.1.2.3');
    expect(r.code).toBe(2);
    expect(r.message).toBe(
      'logvault report: --ip: not an IPv4 or IPv6 address (e.g. 192.0.2.1, 2001:db8::1)',
    );
  });
});

describe('query output formats', () => {
  const result = {
    engine: 'trino' as const,
    queryId: 'q',
    elapsedMs: 1,
    columns: [
      { name: 'serial', type: 'varchar' },
      { name: 'requests', type: 'bigint' },
      { name: 'share', type: 'double' },
      { name: 'final', type: 'boolean' },
    ],
    rows: [
      ['0a\r\n\u001b[2J\u009b31m', '9007199254740993', '0.25', 'true'],
      [null, '3', 'NaN', null],
    ],
  };

  it('shows control characters from the data as escapes in a table', () => {
    const table = formatResult(result, 'table');
    expect(table).toContain('0a\\r\\n\\x1b[2J\\x9b31m');
    // eslint-disable-next-line no-control-regex -- exactly what must not reach the terminal
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(renderTable(['h\u001b'], [])).toBe('h\\x1b\n-----');
  });

  it('writes json and ndjson with typed values, all digits, and terminal-safe text', () => {
    const ndjson = formatResult(result, 'ndjson');
    expect(ndjson.split('\n')).toEqual([
      '{"serial":"0a\\r\\n\\u001b[2J\\u009b31m","requests":9007199254740993,"share":0.25,"final":true}',
      '{"serial":null,"requests":3,"share":"NaN","final":null}',
    ]);
    expect(JSON.parse(formatResult(result, 'json'))).toEqual(
      ndjson.split('\n').map((l) => JSON.parse(l)),
    );
  });

  it('writes nothing for no rows in ndjson, an empty array in json', () => {
    const empty = { ...result, rows: [] };
    expect(formatResult(empty, 'ndjson')).toBe('');
    expect(formatResult(empty, 'json')).toBe('[]');
  });
});
