/**
 * The one way logvault runs SQL: Athena in the cloud, Trino locally (Athena
 * engine v3 is Trino). Views, daily jobs, exports and hold extracts all go
 * through a `QueryRunner`, so what the tests prove on Trino is what runs.
 */

export type QueryEngine = 'athena' | 'trino';

export interface QueryProgress {
  readonly state: string;
  readonly elapsedMs: number;
  /** Bytes scanned so far, when the engine reports it. */
  readonly bytesScanned?: number;
}

export interface QueryColumn {
  readonly name: string;
  readonly type: string;
}

export interface QueryResult {
  readonly engine: QueryEngine;
  readonly queryId: string;
  readonly columns: QueryColumn[];
  /** Every row, values as the engine renders them (strings), null for SQL NULL. */
  readonly rows: (string | null)[][];
  readonly bytesScanned?: number;
  /** Estimated cost in USD (Athena: bytes scanned at the per-TB price). */
  readonly costUsd?: number;
  readonly elapsedMs: number;
}

export interface RunOptions {
  readonly onProgress?: (progress: QueryProgress) => void;
  /** Identifies the caller in logs and the engine's query history (e.g. a case id). */
  readonly correlationId?: string;
}

export interface QueryRunner {
  readonly engine: QueryEngine;
  run(sql: string, options?: RunOptions): Promise<QueryResult>;
}

/**
 * A runner whose queries are started and collected apart, so no caller waits
 * on the engine in between (the daily workflow: Step Functions polls the query
 * state, core/analytics/daily-workflow/).
 */
export interface SubmittingQueryRunner extends QueryRunner {
  /** Starts `sql` and returns its query id at once. */
  submit(sql: string, options?: RunOptions): Promise<string>;
  /** Every row of a query that has succeeded. */
  results(queryId: string): Promise<QueryResult>;
  /** Where a submitted query stands (Athena's GetQueryExecution). */
  status(queryId: string): Promise<QueryStatus>;
  /** Asks the engine to stop a query; a query that has already ended stays as it was. */
  stop(queryId: string): Promise<void>;
}

/** Athena's query states; `UNKNOWN` when the engine no longer knows the id. */
export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'UNKNOWN';

export interface QueryStatus {
  readonly state: QueryState;
  /** Why it failed or was cancelled, as the engine says it. */
  readonly reason?: string;
}

/** True once a query can no longer write anything. */
export const queryEnded = (state: QueryState): boolean =>
  state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
