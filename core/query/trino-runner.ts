import { Trino, BasicAuth, QueryError, QueryResult as TrinoPage } from 'trino-client';
import { QueryColumn, QueryResult, QueryRunner, RunOptions } from './runner';
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

/**
 * Runs SQL on Trino, the local stand-in for Athena engine v3. Values come back
 * as Athena renders them in its result sets: strings, with SQL NULL as null.
 */
export class TrinoQueryRunner implements QueryRunner {
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
