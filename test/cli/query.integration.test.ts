import { PutObjectCommand } from '@aws-sdk/client-s3';
import { formatResult, queryCommand, queryOptions } from '../../cli/commands/query';
import { humanBytes } from '../../core/format/bytes';
import { UsageError } from '../../cli/command';
import { loadStageOnStandins, StageOnStandins } from '../support/trino';

/** `logvault query` end to end: a named query from sql/queries, run on Trino over moto. */
describe('logvault query', () => {
  let stage: StageOnStandins;
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const line = (hour: string, ip: string) =>
    JSON.stringify({
      ts: `${day}T${hour}:15:00.000Z`,
      client_ip: ip,
      browser_family: 'Chrome',
      os_family: 'Windows',
      method: 'POST',
      issuer_key_hash: 'b'.repeat(40),
      serial: '01',
      status: 'good',
      responder_id: 'r1',
      region: 'eu-west-1',
      latency_ms: 4,
      bytes: 512,
    }) + '\n';

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    const put = (hour: string, body: string) =>
      stage.clients.s3.send(
        new PutObjectCommand({
          Bucket: stage.buckets.ocspRawLogs,
          Key: `ocsp/${day.replace(/-/g, '/')}/${hour}/logvault-dev-ocsp-1-1-${hour}`,
          Body: body,
        }),
      );
    await put('03', line('03', '192.0.2.1') + line('03', '192.0.2.2'));
    await put('17', line('17', '192.0.2.1'));
    process.env.LOGVAULT_QUERY_ENGINE = 'trino';
    process.env.LOGVAULT_GLUE_DATABASE = stage.database;
  }, 120_000);

  it('prints the named query as CSV, progress on stderr', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const log = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);
    const write = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((s: string | Uint8Array) => err.push(String(s)) > 0);
    try {
      const code = await queryCommand.run([
        'ocsp-requests-per-hour',
        '--date',
        day,
        '--format',
        'csv',
      ]);
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
      write.mockRestore();
    }
    expect(out.join('')).toBe(
      ['hour_utc,requests,distinct_clients', `${day}T03,2,2`, `${day}T17,1,1`, ''].join('\n'),
    );
    expect(err.join('')).toMatch(/FINISHED\s+\d+\.\ds, \d+(\.\d)? (B|KiB) scanned/);
    expect(err.join('')).toMatch(/trino query \S+ \(ocsp-requests-per-hour\): 2 rows/);
  }, 60_000);

  it('refuses unknown names, unknown parameters and bad values before running anything', async () => {
    await expect(queryCommand.run(['no-such-query'])).rejects.toThrow(
      /unknown query "no-such-query"/,
    );
    await expect(
      queryCommand.run(['ocsp-requests-per-hour', '--param', 'serial=01']),
    ).rejects.toThrow(/takes no parameter "serial" \(it takes: --date YYYY-MM-DD\)/);
    await expect(
      queryCommand.run(['ocsp-requests-per-hour', '--date', "2026-01-01' OR 1=1 --"]),
    ).rejects.toThrow(UsageError);
    expect(() => queryOptions(['x', '--format', 'xml'])).toThrow(/--format "xml": use one of/);
  });

  it('shows bytes in binary units', () => {
    expect([0, 1023, 1536, 5 * 1024 ** 3].map(humanBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '5.0 GiB',
    ]);
  });

  it('renders ndjson lines and aligned tables', () => {
    const result = {
      engine: 'trino' as const,
      queryId: 'q',
      elapsedMs: 1,
      columns: [
        { name: 'serial', type: 'varchar' },
        { name: 'note', type: 'varchar' },
      ],
      rows: [
        ['01', 'a, "b"'],
        ['0a2', null],
      ],
    };
    expect(formatResult(result, 'ndjson')).toBe(
      '{"serial":"01","note":"a, \\"b\\""}\n{"serial":"0a2","note":null}',
    );
    expect(formatResult(result, 'csv')).toBe('serial,note\n01,"a, ""b"""\n0a2,');
    expect(formatResult(result, 'table').split('\n')[0]).toBe('serial  note');
  });
});
