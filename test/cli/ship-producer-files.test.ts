import { mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shipCommand } from '../../cli/commands/ship';
import { isExpiredProducerFile, rejectEntry } from '../../core/ingest/shipper';

/**
 * Reject and dead-letter files on the producer's host (issue 18): redacted
 * reject entries and expiry on the next run. Every line of the input is
 * rejected, so nothing is sent and no stand-in is needed.
 */

const DAY_MS = 86_400_000;
const rejected = {
  lineNo: 7,
  reason: 'client_ip: not an IP',
  input: '{"client_ip":"203.0.113.9"}',
};

describe('reject entries', () => {
  it('keep the input unless redacted, and the line number and reason either way', () => {
    expect(JSON.parse(rejectEntry(rejected, false))).toEqual({
      line: 7,
      reason: rejected.reason,
      input: rejected.input,
    });
    expect(JSON.parse(rejectEntry(rejected, true))).toEqual({ line: 7, reason: rejected.reason });
  });
});

describe('expiry of producer files', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it.each([
    ['a rejects file older than the retention', 'x.rejects.ndjson', 8, true],
    ['a dead-letter file older than the retention', 'x.dead.ndjson', 8, true],
    ['a rejects file inside the retention', 'x.rejects.ndjson', 6, false],
    ['an old file of another name (the input itself)', 'x.ndjson', 30, false],
  ])('%s: %s', (_, name, ageDays, expired) => {
    expect(isExpiredProducerFile(name, now - ageDays * DAY_MS, now, 7)).toBe(expired);
  });
});

describe('logvault ship --redact-rejects --reject-retention', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logvault-producer-files-'));
  const old = (name: string) => {
    writeFileSync(join(dir, name), '{"line":1,"input":"198.51.100.1"}\n', { mode: 0o600 });
    const eightDaysAgo = new Date(Date.now() - 8 * DAY_MS);
    utimesSync(join(dir, name), eightDaysAgo, eightDaysAgo);
  };
  const log = console.log;
  beforeAll(() => {
    process.env.AWS_REGION ??= 'us-east-1';
    console.log = () => undefined; // the JSON summary
  });
  afterAll(() => (console.log = log));

  it('deletes expired files first and writes a reject file without the lines', async () => {
    old('last-week.rejects.ndjson');
    old('last-week.dead.ndjson');
    old('keep-me.ndjson');
    const input = join(dir, 'today.ndjson');
    writeFileSync(
      input,
      '{"client_ip":"203.0.113.9","user_agent":"Mozilla/5.0 alice"}\nnot json\n',
    );
    const code = await shipCommand.run([
      '--type',
      'ocsp',
      '--stream',
      'logvault-dev-ocsp-1',
      '--redact-rejects',
      '--reject-retention',
      '7',
      '--quiet',
      input,
    ]);
    expect(code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([
      'keep-me.ndjson',
      'today.ndjson',
      'today.ndjson.rejects.ndjson',
    ]);
    const rejects = readFileSync(`${input}.rejects.ndjson`, 'utf8');
    expect(rejects).not.toMatch(/203\.0\.113\.9|Mozilla|alice/);
    expect(
      rejects
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).line),
    ).toEqual([1, 2]);
  });

  it('refuses a retention that is not a positive number of days, naming the option', async () => {
    await expect(
      shipCommand.run([
        '--type',
        'ocsp',
        '--stream',
        'logvault-dev-ocsp-1',
        '--reject-retention',
        '0',
      ]),
    ).rejects.toThrow(/--reject-retention must be a positive integer/);
  });
});
