import {
  NamedQuery,
  NamedQueryError,
  namedQueries,
  renderNamedQuery,
  spelled,
} from '../../core/query/named-query';
import { queryRunnerFromEnv } from '../../core/query/from-env';
import { answerNamedQuery } from '../../core/query/answer-named-query';
import { QueryProgress, QueryResult } from '../../core/query/runner';
import { renderTable } from '../../core/format/table';
import { csvRecord } from '../../core/csv';
import { quoted } from '../../core/format/printable';
import { jsonRecords } from '../../core/format/json-rows';
import { humanBytes } from '../../core/format/bytes';
import { Command, ExitCode, UsageError, asUsage, parseCommandLine } from '../command';

const usage = `usage: logvault query NAME [--date YYYY-MM-DD] [--param NAME=VALUE]... [--format table|csv|json|ndjson]
       logvault query --list

Runs the named query sql/queries/NAME.sql and prints its rows. Progress
(state, elapsed time, bytes scanned) goes to stderr while it runs.

  --date     value of the query's "date" parameter (default: yesterday, UTC)
  --param    value of any other declared parameter, e.g. --param serial=0a1b;
             one per parameter, repeat the option for several
  --format   table (default; control characters shown as escapes such as \\x1b),
             csv (RFC 4180, values as stored), json (one array of objects) or
             ndjson (one object per line, nothing for no rows); in json and
             ndjson numbers and booleans are JSON numbers and booleans
  --list     list the named queries with their parameters

A day must be a real UTC day no later than today; a query's range (from, to)
must be in order.

Engine from the environment: LOGVAULT_QUERY_ENGINE=athena (default; needs
ATHENA_WORKGROUP) or trino (TRINO_URL); LOGVAULT_GLUE_DATABASE names the database.

Exit codes: 0 ok, 2 bad usage (unknown query, option or parameter, a bad or
repeated value, a day after today, a range backwards; nothing runs), 3 the
query failed.`;

const formats = ['table', 'csv', 'json', 'ndjson'] as const;
type Format = (typeof formats)[number];

/** Renders a result in one of the output formats; exported for tests. */
export function formatResult(result: QueryResult, format: Format): string {
  const names = result.columns.map((c) => c.name);
  switch (format) {
    case 'json':
      return `[${jsonRecords(result.columns, result.rows).join(',\n')}]`;
    case 'ndjson':
      return jsonRecords(result.columns, result.rows).join('\n');
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

/** How the command line gives a query parameter: `--date ` or `--param NAME=`. */
const spell = (name: string) => (name === 'date' ? '--date ' : `--param ${name}=`);

/** Parses the command line; exported for tests. */
export function queryOptions(argv: string[]): QueryOptions {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        date: { type: 'string' },
        param: { type: 'string', multiple: true },
        format: { type: 'string', default: 'table' },
        list: { type: 'boolean', default: false },
      },
    },
    (option) => `a query parameter is given as --param ${option}=VALUE (see --list)`,
  );
  if (!(formats as readonly string[]).includes(values.format))
    throw new UsageError(`--format ${quoted(values.format)}: use one of ${formats.join(', ')}`);
  if (values.list && positionals.length > 0)
    throw new UsageError('--list takes no query NAME; give one or the other');
  if (!values.list && positionals.length !== 1)
    throw new UsageError('give exactly one query NAME (see --list)');
  const params: Record<string, string> = {};
  for (const pair of values.param ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${quoted(pair)}: expected NAME=VALUE`);
    const name = pair.slice(0, eq);
    if (name in params)
      throw new UsageError(`--param ${quoted(name)} is given more than once; give it once`);
    params[name] = pair.slice(eq + 1);
  }
  if (values.date !== undefined && 'date' in params)
    throw new UsageError('--date and --param date= both give the date; give one');
  if (values.date !== undefined) params.date = values.date;
  return {
    name: positionals[0],
    list: values.list,
    values: params,
    format: values.format as Format,
  };
}

/** The SQL of a named query with its parameters; `date` defaults to yesterday (UTC). Exported for tests. */
export function querySql(
  queries: Map<string, NamedQuery>,
  options: QueryOptions,
  now = new Date(),
): { query: NamedQuery; sql: string; values: Record<string, string> } {
  const query = queries.get(options.name!);
  if (!query)
    throw new UsageError(
      `unknown query ${quoted(options.name!)}; known: ${[...queries.keys()].join(', ')}`,
    );
  const values = { ...options.values };
  if (values.date === undefined && query.params.some((p) => p.name === 'date'))
    values.date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1))
      .toISOString()
      .slice(0, 10);
  return asUsage(
    () => ({ query, sql: renderNamedQuery(query, values, { spell, now }), values }),
    (error) => error instanceof NamedQueryError,
  );
}

export const queryCommand: Command = {
  usage,
  async run(argv) {
    const options = queryOptions(argv);
    const queries = namedQueries();
    if (options.list) {
      for (const q of queries.values())
        console.log(
          `${q.name}  ${q.params.map((p) => spelled(p, spell)).join(' ')}\n    ${q.description}`,
        );
      return ExitCode.ok;
    }
    const { query, values } = querySql(queries, options);
    const runner = queryRunnerFromEnv();
    const interactive = process.stderr.isTTY;
    let lastState = '';
    const { result, ran } = await answerNamedQuery(queries, query, values, runner, {
      correlationId: `cli-query-${query.name}`,
      onProgress: (p) => {
        if (interactive) process.stderr.write(`\r${progressLine(p)}   `);
        else if (p.state !== lastState) process.stderr.write(`${progressLine(p)}\n`);
        lastState = p.state;
      },
    });
    if (interactive) process.stderr.write('\n');
    for (const [i, step] of ran.entries()) {
      const r = step.result;
      const cost = r.costUsd === undefined ? '' : `, USD ${r.costUsd.toFixed(4)}`;
      process.stderr.write(
        `${runner.engine} query ${r.queryId} (${step.name}): ${r.rows.length} rows in ${(r.elapsedMs / 1000).toFixed(1)}s` +
          `${r.bytesScanned === undefined ? '' : `, ${humanBytes(r.bytesScanned)} scanned`}${cost}\n`,
      );
      if (i + 1 < ran.length)
        process.stderr.write(
          `${step.name} cannot answer exactly; answered by ${ran[i + 1]!.name}\n`,
        );
    }
    const text = formatResult(result, options.format);
    // No rows in ndjson is no output at all, not an empty line.
    if (text !== '') process.stdout.write(`${text}\n`);
    return ExitCode.ok;
  },
};
