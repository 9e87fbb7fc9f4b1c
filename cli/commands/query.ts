import { parseArgs } from 'node:util';
import {
  NamedQuery,
  NamedQueryError,
  namedQueries,
  renderNamedQuery,
} from '../../core/query/named-query';
import { queryRunnerFromEnv } from '../../core/query/from-env';
import { QueryProgress, QueryResult } from '../../core/query/runner';
import { renderTable } from '../../core/format/table';
import { csvRecord } from '../../core/csv';
import { humanBytes } from '../../core/format/bytes';
import { Command, ExitCode, UsageError, asUsage } from '../command';

const usage = `usage: logvault query NAME [--date YYYY-MM-DD] [--param NAME=VALUE]... [--format table|csv|json]
       logvault query --list

Runs the named query sql/queries/NAME.sql and prints its rows. Progress
(state, elapsed time, bytes scanned) goes to stderr while it runs.

  --date     value of the query's "date" parameter (default: yesterday, UTC)
  --param    value of any other declared parameter; repeatable
  --format   table (default), csv or json
  --list     list the named queries with their parameters

Engine from the environment: LOGVAULT_QUERY_ENGINE=athena (default; needs
ATHENA_WORKGROUP) or trino (TRINO_URL); LOGVAULT_GLUE_DATABASE names the database.

Exit codes: 0 ok, 2 bad usage (unknown query or parameter), 3 the query failed.`;

const formats = ['table', 'csv', 'json'] as const;
type Format = (typeof formats)[number];

/** Renders a result in one of the output formats; exported for tests. */
export function formatResult(result: QueryResult, format: Format): string {
  const names = result.columns.map((c) => c.name);
  switch (format) {
    case 'json':
      return result.rows
        .map((row) => JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i]]))))
        .join('\n');
    case 'csv':
      return [names, ...result.rows].map(csvRecord).join('\n');
    case 'table':
      return renderTable(names, result.rows);
  }
}

function progressLine(p: QueryProgress): string {
  const scanned = p.bytesScanned === undefined ? '' : `, ${humanBytes(p.bytesScanned)} scanned`;
  return `${p.state.padEnd(9)} ${(p.elapsedMs / 1000).toFixed(1)}s${scanned}`;
}

export interface QueryOptions {
  readonly name?: string;
  readonly list: boolean;
  /** Parameter values given with --param (and --date). */
  readonly values: Record<string, string>;
  readonly format: Format;
}

/** Parses the command line; exported for tests. */
export function queryOptions(argv: string[]): QueryOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      date: { type: 'string' },
      param: { type: 'string', multiple: true },
      format: { type: 'string', default: 'table' },
      list: { type: 'boolean', default: false },
    },
  });
  if (!(formats as readonly string[]).includes(values.format!))
    throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  if (!values.list && positionals.length !== 1)
    throw new UsageError('give exactly one query NAME (see --list)');
  const params: Record<string, string> = {};
  for (const pair of values.param ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${pair}: expected NAME=VALUE`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (values.date !== undefined) params.date = values.date;
  return {
    name: positionals[0],
    list: values.list!,
    values: params,
    format: values.format as Format,
  };
}

/** The SQL of a named query with its parameters; `date` defaults to yesterday (UTC). Exported for tests. */
export function querySql(
  queries: Map<string, NamedQuery>,
  options: QueryOptions,
  now = new Date(),
): { query: NamedQuery; sql: string } {
  const query = queries.get(options.name!);
  if (!query)
    throw new UsageError(
      `unknown query "${options.name}"; known: ${[...queries.keys()].join(', ')}`,
    );
  const values = { ...options.values };
  if (values.date === undefined && query.params.some((p) => p.name === 'date'))
    values.date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1))
      .toISOString()
      .slice(0, 10);
  return asUsage(
    () => ({ query, sql: renderNamedQuery(query, values) }),
    (error) => error instanceof NamedQueryError,
  );
}

export const queryCommand: Command = {
  name: 'query',
  summary: 'run a named query (sql/queries) on Athena or the local Trino',
  usage,
  async run(argv) {
    const options = queryOptions(argv);
    const queries = namedQueries();
    if (options.list) {
      for (const q of queries.values())
        console.log(
          `${q.name}  ${q.params.map((p) => `--${p.name} ${p.type}`).join(' ')}\n    ${q.description}`,
        );
      return ExitCode.ok;
    }
    const { query, sql } = querySql(queries, options);
    const runner = queryRunnerFromEnv();
    const interactive = process.stderr.isTTY;
    let lastState = '';
    const result = await runner.run(sql, {
      correlationId: `cli-query-${query.name}`,
      onProgress: (p) => {
        if (interactive) process.stderr.write(`\r${progressLine(p)}   `);
        else if (p.state !== lastState) process.stderr.write(`${progressLine(p)}\n`);
        lastState = p.state;
      },
    });
    if (interactive) process.stderr.write('\n');
    const cost = result.costUsd === undefined ? '' : `, USD ${result.costUsd.toFixed(4)}`;
    process.stderr.write(
      `${runner.engine} query ${result.queryId}: ${result.rows.length} rows in ${(result.elapsedMs / 1000).toFixed(1)}s` +
        `${result.bytesScanned === undefined ? '' : `, ${humanBytes(result.bytesScanned)} scanned`}${cost}\n`,
    );
    console.log(formatResult(result, options.format));
    return ExitCode.ok;
  },
};
