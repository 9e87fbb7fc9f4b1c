import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetQueryResultsCommandOutput,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  QueryColumn,
  QueryResult,
  QueryState,
  QueryStatus,
  RunOptions,
  SubmittingQueryRunner,
} from './runner';

export interface AthenaRunnerOptions {
  /** Workgroup whose enforced settings (results location, KMS, cutoff) apply. */
  readonly workGroup: string;
  /** Glue database that unqualified table names resolve in. */
  readonly database?: string;
  readonly client?: AthenaClient;
  /** First poll interval; doubles up to `maxPollMs`. @default 200 */
  readonly firstPollMs?: number;
  /** @default 5_000 */
  readonly maxPollMs?: number;
}

/** Athena's price: USD 5 per TB scanned, each query billed at least 10 MB, rounded up to whole MB. */
export const ATHENA_USD_PER_TB = 5;
const MB = 1024 * 1024;
const TB = 1024 ** 4;

export function athenaCostUsd(bytesScanned: number): number {
  const billed = Math.max(Math.ceil(bytesScanned / MB), 10) * MB;
  return (billed / TB) * ATHENA_USD_PER_TB;
}

/** A query Athena failed or cancelled, with its state and Athena's reason. */
export class AthenaQueryError extends Error {
  constructor(
    readonly queryId: string,
    readonly state: string,
    reason: string,
  ) {
    super(`Athena query ${queryId} ${state}: ${reason}`);
    this.name = 'AthenaQueryError';
  }
}

/**
 * Runs SQL on Athena: starts the query in the workgroup, polls with
 * exponential backoff (reporting state, elapsed time and bytes scanned), then
 * pages through every result row.
 */
export class AthenaQueryRunner implements SubmittingQueryRunner {
  readonly engine = 'athena' as const;
  private readonly client: AthenaClient;

  constructor(private readonly options: AthenaRunnerOptions) {
    this.client = options.client ?? new AthenaClient({});
  }

  async run(sql: string, options: RunOptions = {}): Promise<QueryResult> {
    const started = Date.now();
    const queryId = await this.submit(sql);
    const execution = await this.waitFor(queryId, started, options);
    return this.collect(queryId, execution, Date.now() - started);
  }

  async submit(sql: string): Promise<string> {
    const { QueryExecutionId: queryId } = await this.client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.options.workGroup,
        QueryExecutionContext: this.options.database
          ? { Catalog: 'AwsDataCatalog', Database: this.options.database }
          : undefined,
      }),
    );
    return queryId!;
  }

  async results(queryId: string): Promise<QueryResult> {
    const { QueryExecution: execution } = await this.client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: queryId }),
    );
    const state = execution?.Status?.State ?? 'UNKNOWN';
    if (state !== 'SUCCEEDED')
      throw new AthenaQueryError(queryId, state, execution?.Status?.StateChangeReason ?? '');
    const { SubmissionDateTime: submitted, CompletionDateTime: completed } = execution!.Status!;
    const elapsedMs = (completed?.getTime() ?? Date.now()) - (submitted?.getTime() ?? Date.now());
    return this.collect(queryId, execution!, elapsedMs);
  }

  async status(queryId: string): Promise<QueryStatus> {
    const { QueryExecution: execution } = await this.client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: queryId }),
    );
    const status = execution?.Status;
    return {
      state: (status?.State ?? 'UNKNOWN') as QueryState,
      reason: status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage,
    };
  }

  async stop(queryId: string): Promise<void> {
    await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }));
  }

  private async collect(
    queryId: string,
    execution: QueryExecution,
    elapsedMs: number,
  ): Promise<QueryResult> {
    const bytesScanned = execution.Statistics?.DataScannedInBytes ?? 0;
    const { columns, rows } = await collectPages(
      (token) =>
        this.client.send(
          new GetQueryResultsCommand({ QueryExecutionId: queryId, NextToken: token }),
        ),
      execution.StatementType === 'DML',
    );
    return {
      engine: 'athena',
      queryId,
      columns,
      rows,
      bytesScanned,
      costUsd: athenaCostUsd(bytesScanned),
      elapsedMs,
    };
  }

  private async waitFor(
    queryId: string,
    started: number,
    options: RunOptions,
  ): Promise<QueryExecution> {
    let delay = this.options.firstPollMs ?? 200;
    for (;;) {
      const { QueryExecution: execution } = await this.client.send(
        new GetQueryExecutionCommand({ QueryExecutionId: queryId }),
      );
      const state = execution?.Status?.State ?? 'UNKNOWN';
      options.onProgress?.({
        state,
        elapsedMs: Date.now() - started,
        bytesScanned: execution?.Statistics?.DataScannedInBytes,
      });
      if (state === 'SUCCEEDED') return execution!;
      if (state === 'FAILED' || state === 'CANCELLED')
        throw new AthenaQueryError(
          queryId,
          state,
          execution?.Status?.StateChangeReason ??
            execution?.Status?.AthenaError?.ErrorMessage ??
            '',
        );
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, this.options.maxPollMs ?? 5_000);
    }
  }
}

type ResultPage = Pick<GetQueryResultsCommandOutput, 'ResultSet' | 'NextToken'>;

/**
 * Follows NextToken through every page. For SELECT-like (DML) statements
 * Athena repeats the column labels as the first row of the first page; that
 * row is dropped.
 */
export async function collectPages(
  fetchPage: (nextToken: string | undefined) => Promise<ResultPage>,
  firstRowIsHeader: boolean,
): Promise<{ columns: QueryColumn[]; rows: (string | null)[][] }> {
  let columns: QueryColumn[] = [];
  const rows: (string | null)[][] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await fetchPage(token);
    if (first)
      columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
        name: c.Name ?? c.Label ?? '',
        type: c.Type ?? '',
      }));
    let pageRows = (page.ResultSet?.Rows ?? []).map((r) =>
      (r.Data ?? []).map((d) => d.VarCharValue ?? null),
    );
    if (first && firstRowIsHeader && isHeader(pageRows[0], columns)) pageRows = pageRows.slice(1);
    rows.push(...pageRows);
    token = page.NextToken;
    first = false;
  } while (token);
  return { columns, rows };
}

function isHeader(row: (string | null)[] | undefined, columns: QueryColumn[]): boolean {
  return (
    row !== undefined &&
    columns.length > 0 &&
    row.length === columns.length &&
    row.every((v, i) => v === columns[i].name)
  );
}
