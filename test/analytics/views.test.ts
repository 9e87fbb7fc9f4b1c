import { PUBLISHED_COLUMNS } from '../../core/analytics/publication';
import {
  declaredColumns,
  hiveTypeOf,
  viewDefinitions,
  viewTableInput,
} from '../../core/analytics/views';

/** Decodes the view definition exactly as Trino's Hive connector does. */
function decode(viewOriginalText: string) {
  const match = /^\/\* Presto View: (.+) \*\/$/.exec(viewOriginalText);
  if (!match) throw new Error(`not a Presto view: ${viewOriginalText}`);
  return JSON.parse(Buffer.from(match[1], 'base64').toString('utf8')) as {
    originalSql: string;
    catalog: string;
    schema: string;
    columns: { name: string; type: string }[];
  };
}

describe('view definitions', () => {
  const views = viewDefinitions();

  it('has one view per sql/views file, each with declared columns', () => {
    expect(views.map((v) => v.name)).toEqual([
      'acme_activity_daily',
      'ocsp_cert_volume_daily',
      'ocsp_cert_volume_hourly',
      'ocsp_hourly_totals',
      'ocsp_top_certs_daily',
    ]);
    for (const view of views) expect(view.columns.length).toBeGreaterThan(0);
  });

  it('leaves no placeholder in any view', () => {
    for (const view of views) expect(view.sql).not.toMatch(/\{\{/);
  });

  // The published dataset is no view any more: the daily job writes noisy
  // counts under publish/ (test/analytics/daily-publication-trino).
  it('publishes no IP, user-agent, browser or OS column', () => {
    const names = PUBLISHED_COLUMNS.map((c) => c.name);
    expect(names).toEqual(['day', 'serial', 'issuer_key_hash', 'bounded_requests']);
  });
});

describe('Presto view encoding', () => {
  const view = viewDefinitions().find((v) => v.name === 'ocsp_hourly_totals')!;
  const input = viewTableInput(view, 'logvault_dev');

  it('is a VIRTUAL_VIEW marked as a Presto view', () => {
    expect(input).toMatchObject({
      name: 'ocsp_hourly_totals',
      tableType: 'VIRTUAL_VIEW',
      parameters: { presto_view: 'true', comment: 'Presto View' },
      viewExpandedText: '/* Presto View */',
    });
  });

  it('carries the SQL, catalog, schema and Trino column types in base64 JSON', () => {
    const decoded = decode(input.viewOriginalText);
    expect(decoded).toEqual({
      originalSql: view.sql,
      catalog: 'awsdatacatalog',
      schema: 'logvault_dev',
      columns: view.columns,
    });
    expect(decoded.columns[0]).toEqual({ name: 'hour', type: 'timestamp(3)' });
  });

  it('lists the columns with Hive types for Glue', () => {
    expect(input.storageDescriptor.columns.slice(0, 2)).toEqual([
      { name: 'hour', type: 'timestamp' },
      { name: 'requests', type: 'bigint' },
    ]);
  });
});

describe('column declarations', () => {
  it('reads name and type from each header line', () => {
    expect(declaredColumns('-- column: day varchar\n-- column: n bigint\nSELECT 1')).toEqual([
      { name: 'day', type: 'varchar' },
      { name: 'n', type: 'bigint' },
    ]);
  });

  it('refuses a malformed declaration', () => {
    expect(() => declaredColumns('-- column: Bad-Name')).toThrow(/malformed/);
  });

  it('maps only types it knows to Hive', () => {
    expect(hiveTypeOf('varchar')).toBe('string');
    expect(hiveTypeOf('timestamp(3)')).toBe('timestamp');
    expect(() => hiveTypeOf('map(varchar, bigint)')).toThrow(/no Glue column type/);
  });
});
