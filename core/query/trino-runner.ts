import { Trino, BasicAuth, QueryError, QueryResult as TrinoPage } from 'trino-client';
import {
  QueryColumn,
  QueryResult,
  QueryState,
  QueryStatus,
  RunOptions,
  SubmittingQueryRunner,
} from './runner';
import { assertWorkGroupAllows } from './workgroups';

export interface TrinoRunnerOptions {
  /** Coordinator URL, e.g. http://127.0.0.1:18080. */
  readonly url: string;
  /** Catalog that unqualified names resolve in; `awsdatacatalog`, as in Athena. */
  readonly catalog?: string;
  /** Schema (Glue database) that unqualified table names resolve in. */
  readonly schema?: string;
  /** User shown in Trino's query history. @default 'logvault' */
  readonly user?: string;
  /**
   * How long to retry a query the coordinator refuses because no node has
   * registered yet (it does for a few seconds after it reports started).
   * @default 30_000
   */
  readonly noNodesRetryMs?: number;
  /**
   * The Athena workgroup the SQL would run in: Athena's workgroup rules are
   * applied before Trino sees the statement (core/query/workgroups.ts).
   * @default none: no workgroup rules, as with Trino itself
   */
  readonly workGroup?: string;
}

/** A query Trino rejected or failed, with Trino's error name (e.g. `TABLE_NOT_FOUND`). */
export class TrinoQueryError extends Error {
  constructor(
    readonly queryId: string,
    readonly errorName: string,
    message: string,
  ) {
    super(`Trino query ${queryId} failed (${errorName}): ${message}`);
    this.name = 'TrinoQueryError';
  }
}

/** Trino's query states as Athena names them; a killed query is Athena's CANCELLED. */
function athenaState(info: { state?: string; errorCode?: { name?: string } }): QueryState {
  switch (info.state) {
    case 'FINISHED':
      return 'SUCCEEDED';
    case 'FAILED':
      return /CANCELED|KILLED/.test(info.errorCode?.name ?? '') ? 'CANCELLED' : 'FAILED';
    case 'RUNNING':
    case 'FINISHING':
      return 'RUNNING';
    case undefined:
      return 'UNKNOWN';
    default:
      return 'QUEUED';
  }
}

/** Results of queries this process submitted, for `results` (Trino keeps none to fetch later). */
const submitted = new Map<string, QueryResult>();

/**
 * Runs SQL on Trino, the local stand-in for Athena engine v3. Values come back
 * as Athena renders them in its result sets: strings, with SQL NULL as null.
 * `submit` returns once Trino has ended the query (the stand-in answers in
 * seconds); `status` and `stop` ask the coordinator, so another process sees
 * the same state, as with Athena.
 */
export class TrinoQueryRunner implements SubmittingQueryRunner {
  readonly engine = 'trino' as const;
  private readonly client: Trino;

  constructor(private readonly options: TrinoRunnerOptions) {
    this.client = Trino.create({
      server: options.url,
      catalog: options.catalog ?? 'awsdatacatalog',
      schema: options.schema,
      auth: new BasicAuth(options.user ?? 'logvault'),
      source: 'logvault',
    });
  }

  async run(sql: string, options: RunOptions = {}): Promise<QueryResult> {
    if (this.options.workGroup) assertWorkGroupAllows(sql, this.options.workGroup);
    const deadline = Date.now() + (this.options.noNodesRetryMs ?? 30_000);
    for (;;) {
      try {
        return await this.runOnce(sql, options);
      } catch (error) {
        if (
          !(error instanceof TrinoQueryError) ||
          error.errorName !== 'NO_NODES_AVAILABLE' ||
          Date.now() > deadline
        )
          throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async submit(sql: string, options: RunOptions = {}): Promise<string> {
    try {
      const result = await this.run(sql, options);
      submitted.set(result.queryId, result);
      return result.queryId;
    } catch (error) {
      // A query Trino ran and failed has an id, as a failed Athena query does.
      if (error instanceof TrinoQueryError && error.queryId) return error.queryId;
      throw error;
    }
  }

  async results(queryId: string): Promise<QueryResult> {
    const result = submitted.get(queryId);
    if (!result) throw new Error(`Trino query ${queryId} was not submitted by this process`);
    return result;
  }

  async status(queryId: string): Promise<QueryStatus> {
    const info = (await this.client.queryInfo(queryId).catch(() => ({}))) as {
      state?: string;
      errorCode?: { name?: string };
      failureInfo?: { message?: string };
    };
    return { state: athenaState(info), reason: info.failureInfo?.message };
  }

  async stop(queryId: string): Promise<void> {
    await this.client.cancel(queryId);
  }

  private async runOnce(sql: string, options: RunOptions): Promise<QueryResult> {
    const started = Date.now();
    const pages = await this.client.query({
      query: sql,
      extraHeaders: options.correlationId
        ? { 'X-Trino-Client-Info': options.correlationId }
        : undefined,
    });
    let columns: QueryColumn[] = [];
    const rows: (string | null)[][] = [];
    let last: TrinoPage | undefined;
    for await (const page of pages) {
      last = page;
      if (page.error) throw toError(page.id, page.error);
      if (page.columns) columns = page.columns.map(({ name, type }) => ({ name, type }));
      for (const row of page.data ?? []) rows.push((row as unknown[]).map(render));
      if (page.stats)
        options.onProgress?.({
          state: page.stats.state,
          elapsedMs: Date.now() - started,
          bytesScanned: page.stats.physicalInputBytes,
        });
    }
    if (!last) throw new Error('Trino returned no response');
    return {
      engine: 'trino',
      queryId: last.id,
      columns,
      rows,
      bytesScanned: last.stats?.physicalInputBytes,
      elapsedMs: Date.now() - started,
    };
  }
}

function toError(queryId: string, error: QueryError): TrinoQueryError {
  return new TrinoQueryError(queryId, error.errorName, error.message);
}

/** Athena returns every value as text; Trino's JSON numbers, booleans and arrays are rendered alike. */
function render(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
