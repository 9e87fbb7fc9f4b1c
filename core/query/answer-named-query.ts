import { NamedQuery, RenderOptions, renderNamedQuery } from './named-query';
import { QueryResult, QueryRunner, RunOptions } from './runner';

/**
 * Runs a named query and, when it says it cannot answer, its fallback with
 * the same values (`-- fallback: NAME`, core/query/named-query.ts). A query
 * says so in its `answered_from` column: a value starting with "fallback".
 * This is how a cheap exact-when-provable query (top-certificates-range)
 * hands over to the query that reads everything.
 */

export const ANSWERED_FROM = 'answered_from';

/** Whether `result` asks for its query's fallback. */
export function asksForFallback(result: Pick<QueryResult, 'columns' | 'rows'>): boolean {
  const column = result.columns.findIndex((c) => c.name === ANSWERED_FROM);
  return column >= 0 && result.rows.some((row) => row[column]?.startsWith('fallback') === true);
}

export interface NamedAnswer {
  /** The rows that answer: the fallback's when it ran. */
  readonly result: QueryResult;
  /** Each query run, in order, with its result (its bytes scanned included). */
  readonly ran: { readonly name: string; readonly result: QueryResult }[];
}

/** Runs `query` with `values`, then its fallback if it asks for it. */
export async function answerNamedQuery(
  queries: Map<string, NamedQuery>,
  query: NamedQuery,
  values: Record<string, string>,
  runner: QueryRunner,
  options: RenderOptions & RunOptions = {},
): Promise<NamedAnswer> {
  const run = async (q: NamedQuery) => ({
    name: q.name,
    result: await runner.run(renderNamedQuery(q, values, options), {
      onProgress: options.onProgress,
      correlationId: options.correlationId ?? `query-${q.name}`,
    }),
  });
  const first = await run(query);
  const fallback = query.fallback === undefined ? undefined : queries.get(query.fallback);
  if (!fallback || !asksForFallback(first.result)) return { result: first.result, ran: [first] };
  const second = await run(fallback);
  return { result: second.result, ran: [first, second] };
}
