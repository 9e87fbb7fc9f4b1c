import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { renderSql, withFragments } from '../query/sql';

/** Where the view definitions live; read at synth. */
export const VIEWS_DIR = join(__dirname, '..', '..', 'sql', 'views');

export interface SqlColumn {
  readonly name: string;
  /** Trino / Athena engine v3 type, e.g. `varchar`, `bigint`, `timestamp(3)`. */
  readonly type: string;
}

const columnLine = /^--\s*column:\s*([a-z_][a-z0-9_]*)\s+(.+?)\s*$/;

/**
 * The `-- column: NAME TYPE` header lines of a view file, in order. They
 * declare the view's result columns for the Glue table; the Trino test checks
 * them against what the engine infers, so they cannot drift from the SQL.
 */
export function declaredColumns(sql: string): SqlColumn[] {
  return sql
    .split('\n')
    .filter((line) => /^--\s*column:/.test(line))
    .map((line) => {
      const match = columnLine.exec(line);
      if (!match) throw new Error(`malformed column declaration: ${line}`);
      return { name: match[1], type: match[2] };
    });
}

/** The catalog name Athena (and logvault's local Trino) give the Glue Data Catalog. */
export const VIEW_CATALOG = 'awsdatacatalog';

/** Hive type for the Glue column list of a view, from the Trino type the view declares. */
export function hiveTypeOf(trinoType: string): string {
  if (trinoType === 'varchar' || /^varchar\(\d+\)$/.test(trinoType)) return 'string';
  if (/^timestamp(\(\d+\))?$/.test(trinoType)) return 'timestamp';
  if (['bigint', 'integer', 'double', 'boolean', 'date'].includes(trinoType)) return trinoType;
  throw new Error(`no Glue column type for view column type ${trinoType}`);
}

/** Glue owner of the views (Trino needs one to run a definer view). */
export const VIEW_OWNER = 'logvault';

export interface ViewDefinition {
  readonly name: string;
  /** The SELECT with parameters filled in, as the engine stores it. */
  readonly sql: string;
  readonly columns: SqlColumn[];
}

/** The views in `sql/views/*.sql`, one per file named after it, parameters filled in. */
export function viewDefinitions(): ViewDefinition[] {
  return readdirSync(VIEWS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const text = withFragments(readFileSync(join(VIEWS_DIR, file), 'utf8'));
      const columns = declaredColumns(text);
      if (columns.length === 0) throw new Error(`sql/views/${file} declares no -- column: lines`);
      return { name: basename(file, '.sql'), sql: renderSql(text, {}).text.trim(), columns };
    });
}

/**
 * The Glue table input of a view in the encoding Athena writes and Trino's
 * Hive connector reads: a VIRTUAL_VIEW whose ViewOriginalText carries the
 * base64 JSON view definition between `/* Presto View: ` and ` *\/`.
 */
export function viewTableInput(view: ViewDefinition, database: string) {
  const definition = {
    originalSql: view.sql,
    catalog: VIEW_CATALOG,
    schema: database,
    columns: view.columns.map(({ name, type }) => ({ name, type })),
  };
  const encoded = Buffer.from(JSON.stringify(definition), 'utf8').toString('base64');
  return {
    name: view.name,
    // Trino runs a view as its owner unless it is marked run-as-invoker; Athena
    // ignores the owner and always checks the caller's own permissions.
    owner: VIEW_OWNER,
    tableType: 'VIRTUAL_VIEW',
    parameters: { presto_view: 'true', comment: 'Presto View' },
    viewOriginalText: `/* Presto View: ${encoded} */`,
    viewExpandedText: '/* Presto View */',
    partitionKeys: [],
    storageDescriptor: {
      columns: view.columns.map(({ name, type }) => ({ name, type: hiveTypeOf(type) })),
      serdeInfo: {},
    },
  };
}
