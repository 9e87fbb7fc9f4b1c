import { CreateWorkGroupCommand } from '@aws-sdk/client-athena';
import { AthenaQueryRunner, athenaCostUsd, collectPages } from '../../../core/query/athena-runner';
import { QueryProgress } from '../../../core/query/runner';
import { uniqueSuffix, useStandins } from '../../support/standins';

/**
 * moto's Athena executes no SQL: it walks a query through its states and
 * returns results queued through its API. These tests prove the runner's
 * start / poll / read / progress protocol against that, not any SQL; the SQL
 * is proven on Trino (test/analytics).
 */
describe('AthenaQueryRunner against moto', () => {
  const clients = useStandins();
  const workGroup = `runner-test-${uniqueSuffix()}`;

  beforeAll(async () => {
    await clients.athena.send(
      new CreateWorkGroupCommand({
        Name: workGroup,
        Configuration: {
          ResultConfiguration: { OutputLocation: `s3://runner-test-${uniqueSuffix()}/athena/` },
        },
      }),
    );
  });

  async function queueResult(rows: string[][], columns: string[]) {
    const response = await fetch(
      `${process.env.AWS_ENDPOINT_URL}/moto-api/static/athena/query-results`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          results: [
            {
              rows: rows.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) })),
              column_info: columns.map((name) => ({ Name: name, Label: name, Type: 'varchar' })),
            },
          ],
        }),
      },
    );
    expect(response.status).toBe(201);
  }

  it('starts, polls to SUCCEEDED with progress, and drops the header row', async () => {
    await queueResult(
      [
        ['serial', 'requests'],
        ['0a', '3'],
        ['0b', '1'],
      ],
      ['serial', 'requests'],
    );
    const progress: QueryProgress[] = [];
    const runner = new AthenaQueryRunner({ workGroup, database: 'logvault_dev', firstPollMs: 10 });
    const result = await runner.run('SELECT serial, count(*) AS requests FROM t GROUP BY 1', {
      onProgress: (p) => progress.push(p),
    });
    expect(result.engine).toBe('athena');
    expect(result.columns).toEqual([
      { name: 'serial', type: 'varchar' },
      { name: 'requests', type: 'varchar' },
    ]);
    expect(result.rows).toEqual([
      ['0a', '3'],
      ['0b', '1'],
    ]);
    expect(progress.at(-1)?.state).toBe('SUCCEEDED');
    expect(result.bytesScanned).toBe(0);
    // Athena bills at least 10 MB per query.
    expect(result.costUsd).toBeCloseTo(athenaCostUsd(10 * 1024 * 1024), 12);
  });

  // The OCSP extract's start / rerun split (core/holds/ocsp-attempt.ts) reads a
  // query's state by id and stops a superseded one through these two calls.
  it('reads a submitted query state by id, and stops it', async () => {
    const runner = new AthenaQueryRunner({ workGroup, database: 'logvault_dev' });
    const queryId = await runner.submit('SELECT 1');
    expect(['QUEUED', 'RUNNING', 'SUCCEEDED']).toContain((await runner.status(queryId)).state);
    await runner.stop(queryId);
    // moto cancels in any state; Athena leaves a query that already ended as it was.
    expect((await runner.status(queryId)).state).toBe('CANCELLED');
  });
});

describe('Athena result paging and cost (pure)', () => {
  it('follows NextToken through every page and drops only the first-page header', async () => {
    const pages = [
      {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'integer' }] },
          Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '1' }] }],
        },
        NextToken: 'p2',
      },
      { ResultSet: { Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{}] }] }, NextToken: 'p3' },
      { ResultSet: { Rows: [{ Data: [{ VarCharValue: '3' }] }] } },
    ];
    const asked: (string | undefined)[] = [];
    const { columns, rows } = await collectPages(async (token) => {
      asked.push(token);
      return pages[asked.length - 1];
    }, true);
    expect(asked).toEqual([undefined, 'p2', 'p3']);
    expect(columns).toEqual([{ name: 'n', type: 'integer' }]);
    // A later row equal to the header is data; a missing value is SQL NULL.
    expect(rows).toEqual([['1'], ['n'], [null], ['3']]);
  });

  it('prices bytes scanned at USD 5 per TiB, at least 10 MB, rounded up to whole MB', () => {
    expect(athenaCostUsd(0)).toBe(athenaCostUsd(10 * 1024 * 1024));
    expect(athenaCostUsd(1024 ** 4)).toBe(5);
    expect(athenaCostUsd(1024 ** 4 + 1)).toBeGreaterThan(5);
  });
});
