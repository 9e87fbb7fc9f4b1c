import { randomUUID } from 'node:crypto';
import { QueryResult, QueryStatus, RunOptions, SubmittingQueryRunner } from './runner';

/** What Athena would report of one query. */
interface Execution {
  state: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  result?: QueryResult;
  reason?: string;
}

/**
 * Athena's start/poll/collect split over a local runner (Trino): `submit`
 * returns at once while the query runs in this process, and the workflow
 * driver polls `getQueryExecution` as Step Functions polls Athena.
 * `failNext` injects a failed query: Athena fails queries on its own now and
 * then (throttling, a lost worker) and no stand-in can do that on demand, so
 * this is the one fault the workflow tests inject.
 */
export class AthenaOverTrino implements SubmittingQueryRunner {
  readonly engine = 'athena' as const;
  private readonly queries = new Map<string, Execution>();
  private failures: { remaining: number; matching: RegExp } = { remaining: 0, matching: /$^/ };
  /** Every query submitted, in order. */
  readonly submitted: string[] = [];

  constructor(
    private readonly engine_: { run(sql: string, o?: RunOptions): Promise<QueryResult> },
  ) {}

  /** The next `count` queries whose SQL matches `matching` fail as Athena would report it. */
  failNext(count: number, matching: RegExp): void {
    this.failures = { remaining: count, matching };
  }

  async submit(sql: string, options?: RunOptions): Promise<string> {
    const id = randomUUID();
    this.submitted.push(sql);
    const entry: Execution = { state: 'RUNNING' };
    this.queries.set(id, entry);
    if (this.failures.remaining > 0 && this.failures.matching.test(sql)) {
      this.failures.remaining -= 1;
      Object.assign(entry, { state: 'FAILED', reason: 'injected: query failed' });
      return id;
    }
    // A stopped query stays CANCELLED, as Athena reports it, whatever Trino then does.
    const settle = (values: Partial<Execution>) =>
      entry.state === 'RUNNING' && Object.assign(entry, values);
    this.engine_.run(sql, options).then(
      (result) => settle({ state: 'SUCCEEDED', result: { ...result, queryId: id } }),
      (error: Error) => settle({ state: 'FAILED', reason: error.message }),
    );
    return id;
  }

  /** Athena's GetQueryExecution, as much of it as the workflow reads. */
  getQueryExecution(id: string) {
    const entry = this.queries.get(id);
    if (entry === undefined)
      throw Object.assign(new Error(`no query ${id}`), { name: 'InvalidRequestException' });
    return {
      QueryExecution: {
        QueryExecutionId: id,
        Status: { State: entry.state, StateChangeReason: entry.reason },
      },
    };
  }

  async results(id: string): Promise<QueryResult> {
    const entry = this.queries.get(id);
    if (entry?.state !== 'SUCCEEDED')
      throw new Error(`query ${id} is ${entry?.state ?? 'unknown'}`);
    return entry.result!;
  }

  async status(id: string): Promise<QueryStatus> {
    const entry = this.queries.get(id);
    return { state: entry?.state ?? 'UNKNOWN', reason: entry?.reason };
  }

  /** Trino's query keeps running in this process; only the state Athena would report changes. */
  async stop(id: string): Promise<void> {
    const entry = this.queries.get(id);
    if (entry?.state === 'RUNNING') Object.assign(entry, { state: 'CANCELLED' });
  }

  async run(sql: string, options?: RunOptions): Promise<QueryResult> {
    return this.engine_.run(sql, options);
  }
}
