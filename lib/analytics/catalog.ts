import { Construct } from 'constructs';
import { Aws } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { StageConfig } from '../../core/config/stage-config';
import { Column, columnsOf } from '../../core/ingest/schemas/columns';
import { logTypes } from '../../core/ingest/schemas';
import { ocspCertDailyRecord } from '../../core/ingest/schemas/ocsp-cert-daily';
import { ocspCertRankDailyRecord } from '../../core/ingest/schemas/ocsp-cert-rank-daily';
import { PUBLISHED_COLUMNS } from '../../core/ingest/schemas/published-ocsp-cert-daily';
import {
  arns,
  databaseName,
  glueTables,
  jobsWorkGroupName,
  prefixes,
  WORKGROUP_ENFORCES,
  workGroupName,
} from '../../core/naming';
import { DEPLOYED } from '../placement';

export interface CatalogProps {
  readonly config: StageConfig;
  /** Where Firehose lands OCSP requests (prefix `ocsp/`). */
  readonly ocspRawLogs: s3.IBucket;
  /** Where sealed ACME events rest (prefix `acme/`, same keys as the landing bucket). */
  readonly subscriberArchive: s3.IBucket;
  /** Long-term aggregates (prefix `<table>/`). */
  readonly aggregates: s3.IBucket;
  /** Athena writes every result here (expires after a day). */
  readonly queryResults: s3.IBucket;
  /** Encrypts the query results. */
  readonly storageKey: kms.IKey;
}

/** Firehose's default `YYYY/MM/dd/HH/` prefix (UTC), as a Glue partition projection. */
const HOUR_FORMAT = 'yyyy/MM/dd/HH';
const DAY_FORMAT = 'yyyy-MM-dd';

/** Glue refuses a column comment over 255 characters. */
export const GLUE_COMMENT_MAX = 255;

/** A description as a Glue comment: its first clause when too long (`_metadata.json` has it all). */
function glueComment(description: string): string {
  if (description.length <= GLUE_COMMENT_MAX) return description;
  const clause = description.split(';')[0]!;
  const cut = `${clause} (full text: _metadata.json)`;
  return cut.length <= GLUE_COMMENT_MAX ? cut : `${clause.slice(0, GLUE_COMMENT_MAX - 1)}…`;
}

const toGlue = (columns: Column[]): glue.CfnTable.ColumnProperty[] =>
  columns.map(({ name, type, comment }) => ({ name, type, comment }));

/** JSON lines as Firehose writes them (GZIP or plain; both engines detect `.gz`). */
interface TableFormat extends Pick<
  glue.CfnTable.StorageDescriptorProperty,
  'inputFormat' | 'outputFormat' | 'serdeInfo'
> {
  /** Glue's `classification` table parameter. */
  readonly classification: string;
  /** Further table parameters the format needs. */
  readonly parameters?: Record<string, string>;
}

const jsonLines: TableFormat = {
  classification: 'json',
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serdeInfo: {
    serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
    // A malformed line fails the query instead of silently reading as NULLs.
    parameters: { 'ignore.malformed.json': 'false' },
  },
};

const parquet: TableFormat = {
  classification: 'parquet',
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serdeInfo: {
    serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  },
};

/**
 * The published CSV (core/analytics/publication/prepare.ts): a header line,
 * comma-separated fields that never need quoting (days, lowercase hex,
 * integers), CRLF line ends, which the text reader of Athena and Trino ends
 * lines at. `_metadata.json` beside it is skipped (files starting with `_`).
 */
const csvWithHeader: TableFormat = {
  classification: 'csv',
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serdeInfo: {
    serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
    parameters: { 'field.delim': ',', 'serialization.format': ',' },
  },
  parameters: { 'skip.header.line.count': '1' },
};

/**
 * Partition projection on a date-typed string key: Athena (and Trino) compute
 * the partitions from the range, so no crawler or MSCK REPAIR ever runs. The
 * range reaches back only as far as the data can exist.
 */
function dateProjection(
  key: string,
  format: string,
  unit: 'HOURS' | 'DAYS',
  days: number,
  location: string,
  hiveStyle = false,
): Record<string, string> {
  return {
    'projection.enabled': 'true',
    [`projection.${key}.type`]: 'date',
    [`projection.${key}.format`]: format,
    [`projection.${key}.range`]: `NOW-${days}DAYS,NOW`,
    [`projection.${key}.interval`]: '1',
    [`projection.${key}.interval.unit`]: unit,
    'storage.location.template': `${location}${hiveStyle ? `${key}=` : ''}\${${key}}/`,
  };
}

/**
 * The analytics catalog: the Glue database and tables over logvault's buckets
 * and the Athena workgroup every query runs in. Columns come from the
 * ingestion schemas; views (lib/analytics/views.ts) are defined on top.
 */
export class Catalog extends Construct {
  /** Glue database, `logvault_<stage>`. */
  public readonly databaseName: string;
  /** Raw OCSP requests, partition `hour` (`yyyy/MM/dd/HH`). */
  public readonly ocspRequestsTable = glueTables.ocspRequests;
  /** Sealed ACME events, partition `hour` (`yyyy/MM/dd/HH`). */
  public readonly acmeEventsTable = glueTables.acmeEvents;
  /** Per-certificate daily aggregate (Parquet), partition `day` (`yyyy-MM-dd`). */
  public readonly ocspCertDailyTable = glueTables.ocspCertDaily;
  /** Where `ocsp_cert_daily` partitions live: `<this>day=<yyyy-MM-dd>/`. */
  public readonly ocspCertDailyLocation: string;
  /** The published, noisy counts (docs/publication.md), partition `release_day`. */
  public readonly publishedOcspCertDailyTable = glueTables.publishedOcspCertDaily;
  public readonly database: glue.CfnDatabase;
  public readonly tables: Record<
    | 'ocspRequests'
    | 'acmeEvents'
    | 'ocspCertDaily'
    | 'publishedOcspCertDaily'
    | 'ocspCertRankDaily',
    glue.CfnTable
  >;
  public readonly workGroup: athena.CfnWorkGroup;
  public readonly workGroupName: string;
  public readonly workGroupArn: string;
  /** The workgroup only the job roles may use: CTAS to the jobs' own buckets. */
  public readonly jobsWorkGroup: athena.CfnWorkGroup;
  public readonly jobsWorkGroupName: string;

  constructor(scope: Construct, id: string, props: CatalogProps) {
    super(scope, id);
    const { config } = props;
    this.databaseName = databaseName(config.stage);

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: this.databaseName,
        description: `logvault ${config.stage}: OCSP and ACME logs and their aggregates`,
      },
    });

    this.ocspCertDailyLocation = props.aggregates.s3UrlForObject(prefixes.ocspCertDaily);
    this.tables = this.createTables(props);
    this.workGroupName = workGroupName(config.stage);
    this.workGroup = this.createWorkGroup(props);
    this.workGroupArn = arns.athenaWorkGroup(DEPLOYED, this.workGroupName);
    this.jobsWorkGroupName = jobsWorkGroupName(config.stage);
    this.jobsWorkGroup = this.createJobsWorkGroup(props);
  }

  /** The raw tables (partition projection on the arrival hour) and the daily aggregate. */
  private createTables(props: CatalogProps): Catalog['tables'] {
    const { config } = props;
    const ocspLocation = props.ocspRawLogs.s3UrlForObject(prefixes.ocsp);
    const acmeLocation = props.subscriberArchive.s3UrlForObject(prefixes.acme);
    // S3 lifecycle can keep an object until the midnight after its expiry day.
    const ocspDays = config.ocsp.rawLogExpiryDays + 1;

    return {
      ocspRequests: this.table('OcspRequests', {
        name: this.ocspRequestsTable,
        description: 'OCSP requests as the responders logged them (personal data: < 7 days)',
        columns: columnsOf(logTypes.ocsp.record),
        partitionKey: 'hour',
        location: ocspLocation,
        format: jsonLines,
        projection: dateProjection('hour', HOUR_FORMAT, 'HOURS', ocspDays, ocspLocation),
      }),
      acmeEvents: this.table('AcmeEvents', {
        name: this.acmeEventsTable,
        description: 'ACME events from the sealed subscriber archive',
        columns: columnsOf(logTypes.acme.record),
        partitionKey: 'hour',
        location: acmeLocation,
        format: jsonLines,
        projection: dateProjection(
          'hour',
          HOUR_FORMAT,
          'HOURS',
          config.analytics.acmeProjectionDays,
          acmeLocation,
        ),
      }),
      ocspCertDaily: this.table('OcspCertDaily', {
        name: this.ocspCertDailyTable,
        description: 'Per-certificate OCSP volume per UTC day (no personal data)',
        columns: columnsOf(ocspCertDailyRecord),
        partitionKey: 'day',
        location: this.ocspCertDailyLocation,
        format: parquet,
        projection: dateProjection(
          'day',
          DAY_FORMAT,
          'DAYS',
          config.analytics.aggregateProjectionDays,
          this.ocspCertDailyLocation,
          // `day=<day>/`: where INSERT INTO writes a partition in Athena and Trino alike.
          true,
        ),
      }),
      publishedOcspCertDaily: this.publishedTable(props),
      ocspCertRankDaily: this.rankTable(props),
    };
  }

  /** Each day's busiest certificates and the bound on the rest: a range's top N reads this. */
  private rankTable(props: CatalogProps): glue.CfnTable {
    const location = props.aggregates.s3UrlForObject(prefixes.ocspCertRankDaily);
    return this.table('OcspCertRankDaily', {
      name: glueTables.ocspCertRankDaily,
      description: 'Busiest certificates per UTC day and a bound on the others (no personal data)',
      columns: columnsOf(ocspCertRankDailyRecord),
      partitionKey: 'day',
      location,
      format: parquet,
      projection: dateProjection(
        'day',
        DAY_FORMAT,
        'DAYS',
        props.config.analytics.aggregateProjectionDays,
        location,
        true,
      ),
    });
  }

  /**
   * The published dataset as a table, so analysts query the noisy counts the
   * public gets rather than the exact ones. Its columns are the file's, in
   * file order; the partition key cannot also be called `day` (a column of
   * the file), so it is `release_day`, equal to `day`: filter on it to read
   * only those days' files.
   */
  private publishedTable(props: CatalogProps): glue.CfnTable {
    const location = props.aggregates.s3UrlForObject(prefixes.publishedOcspCertDaily);
    const projection = dateProjection(
      'release_day',
      DAY_FORMAT,
      'DAYS',
      props.config.analytics.aggregateProjectionDays,
      location,
    );
    return this.table('PublishedOcspCertDaily', {
      name: this.publishedOcspCertDailyTable,
      description:
        'Published OCSP volume per certificate and day: bounded, noisy, final (no personal data)',
      columns: PUBLISHED_COLUMNS.map(({ name, type, description }) => ({
        name,
        type,
        comment: glueComment(description),
      })),
      partitionKey: 'release_day',
      location,
      format: csvWithHeader,
      projection: {
        ...projection,
        // The files sit under `day=<day>/`, the name of the file's own column.
        'storage.location.template': `${location}day=\${release_day}/`,
      },
    });
  }

  /** The workgroup every query runs in: enforced, encrypted results, a scan cutoff. */
  private createWorkGroup(props: CatalogProps): athena.CfnWorkGroup {
    const { config } = props;
    return new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: `logvault ${config.stage}: every analytics query`,
      state: 'ENABLED',
      // Lets a stack update replace the workgroup even when it has query history.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        // Clients cannot choose another (unencrypted, long-lived) results location.
        enforceWorkGroupConfiguration: WORKGROUP_ENFORCES.analysts,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: config.analytics.bytesScannedCutoffGiB * 1024 ** 3,
        resultConfiguration: this.results(props),
      },
    });
  }

  /**
   * The jobs' workgroup. It does not enforce its configuration, because
   * Athena then refuses a CTAS with `external_location` (or writes the table
   * under `tables/<query-id>/` of the expiring results bucket), and the jobs
   * must write the aggregates and the investigation extracts. What a job may
   * write is bounded by its role instead: only the aggregation and hold-apply
   * roles are granted this workgroup (lib/analytics/query-access.ts). No
   * scan cutoff: the job's SQL bounds its scan to a day or a case's range,
   * and a cutoff would cancel a busy day's aggregation halfway.
   */
  private createJobsWorkGroup(props: CatalogProps): athena.CfnWorkGroup {
    return new athena.CfnWorkGroup(this, 'JobsWorkGroup', {
      name: this.jobsWorkGroupName,
      description: `logvault ${props.config.stage}: daily aggregation and OCSP extracts (job roles only)`,
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        enforceWorkGroupConfiguration: WORKGROUP_ENFORCES.jobs,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: this.results(props),
      },
    });
  }

  /** Results under the expiring results bucket, SSE-KMS with the storage key. */
  private results(props: CatalogProps): athena.CfnWorkGroup.ResultConfigurationProperty {
    return {
      outputLocation: props.queryResults.s3UrlForObject(prefixes.athenaResults),
      encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.storageKey.keyArn },
    };
  }

  /** ARN of a table (or view) of this database, for IAM statements. */
  tableArn(name: string): string {
    return arns.glueTable(DEPLOYED, this.databaseName, name);
  }

  /** ARN of the database, for IAM statements. */
  get databaseArn(): string {
    return arns.glueDatabase(DEPLOYED, this.databaseName);
  }

  private table(
    id: string,
    t: {
      name: string;
      description: string;
      columns: Column[];
      partitionKey: string;
      location: string;
      format: TableFormat;
      projection: Record<string, string>;
    },
  ): glue.CfnTable {
    const { classification, parameters, ...format } = t.format;
    const table = new glue.CfnTable(this, id, {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: t.name,
        description: t.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: { EXTERNAL: 'TRUE', classification, ...parameters, ...t.projection },
        partitionKeys: [{ name: t.partitionKey, type: 'string' }],
        storageDescriptor: {
          columns: toGlue(t.columns),
          location: t.location,
          ...format,
        },
      },
    });
    table.addResourceDependency(this.database);
    return table;
  }
}
