import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthStage } from '../support/synth';
import { loadStageConfig, parseStageConfig } from '../../core/config/load-stage-config';
import { stages } from '../../core/config/stages';
import { columnsOf } from '../../core/ingest/schemas/columns';
import { logTypes } from '../../core/ingest/schemas';
import { GLUE_COMMENT_MAX } from '../../lib/analytics/catalog';
import { glueTables } from '../../core/naming';
import { PUBLISHED_COLUMNS } from '../../core/ingest/schemas/published-ocsp-cert-daily';

/** The catalog as synthesized for each stage (cdk-nag clean: synthStage throws otherwise). */
describe.each(['dev', 'prod'])('catalog (%s)', (stageName) => {
  const config = loadStageConfig(stageName);
  const template = Template.fromJSON(
    synthStage(stageName).templates[`Logvault-${stageName}-Compute`],
  );
  const tableNamed = (name: string) => {
    const found = Object.values(template.findResources('AWS::Glue::Table')).find(
      (r) => r.Properties.TableInput.Name === name,
    );
    if (!found) throw new Error(`no table ${name}`);
    return found.Properties.TableInput;
  };

  it('creates the database logvault_<stage>', () => {
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: `logvault_${stageName}` },
    });
  });

  it('keeps every column comment within what Glue accepts (255 characters)', () => {
    const comments = Object.values(template.findResources('AWS::Glue::Table')).flatMap((r) =>
      (r.Properties.TableInput.StorageDescriptor.Columns as { Comment?: string }[]).map(
        (c) => c.Comment ?? '',
      ),
    );
    expect(comments.filter((c) => c.length > GLUE_COMMENT_MAX)).toEqual([]);
  });

  it('puts the published CSV under published_ocsp_cert_daily, header skipped, by release_day', () => {
    const table = tableNamed(glueTables.publishedOcspCertDaily);
    expect(table.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(
      PUBLISHED_COLUMNS.map((c) => c.name),
    );
    expect(table.PartitionKeys).toEqual([{ Name: 'release_day', Type: 'string' }]);
    expect(table.Parameters).toMatchObject({
      'skip.header.line.count': '1',
      'projection.release_day.type': 'date',
    });
  });

  it('takes the OCSP columns, types and comments from the ingestion schema', () => {
    const table = tableNamed('ocsp_requests');
    expect(table.StorageDescriptor.Columns).toEqual(
      columnsOf(logTypes.ocsp.record).map((c) => ({
        Name: c.name,
        Type: c.type,
        Comment: c.comment,
      })),
    );
    expect(table.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.openx.data.jsonserde.JsonSerDe',
    );
  });

  it('projects OCSP hours only as far back as raw logs can exist', () => {
    const p = tableNamed('ocsp_requests').Parameters;
    expect(p).toMatchObject({
      'projection.enabled': 'true',
      'projection.hour.type': 'date',
      'projection.hour.format': 'yyyy/MM/dd/HH',
      'projection.hour.interval.unit': 'HOURS',
      'projection.hour.range': `NOW-${config.ocsp.rawLogExpiryDays + 1}DAYS,NOW`,
    });
    expect(config.ocsp.rawLogExpiryDays + 1).toBeLessThan(7);
    expect(JSON.stringify(p['storage.location.template'])).toContain('/ocsp/${hour}/');
  });

  it('projects ACME hours over the configured history and aggregates by day in Parquet', () => {
    expect(tableNamed('acme_events').Parameters['projection.hour.range']).toBe(
      `NOW-${config.analytics.acmeProjectionDays}DAYS,NOW`,
    );
    const daily = tableNamed('ocsp_cert_daily');
    expect(daily.PartitionKeys).toEqual([{ Name: 'day', Type: 'string' }]);
    expect(daily.Parameters).toMatchObject({
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.interval.unit': 'DAYS',
      classification: 'parquet',
    });
    expect(JSON.stringify(daily.Parameters['storage.location.template'])).toContain(
      '/ocsp_cert_daily/day=${day}/',
    );
    expect(daily.StorageDescriptor.SerdeInfo.SerializationLibrary).toMatch(/ParquetHiveSerDe/);
  });

  it("runs analysts' queries in an enforced engine-v3 workgroup with KMS results and a scan cutoff", () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: `logvault-${stageName}`,
      WorkGroupConfiguration: {
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: config.analytics.bytesScannedCutoffGiB * 1024 ** 3,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' },
        },
      },
    });
  });

  it('runs the jobs in a workgroup that does not enforce (CTAS to their buckets), KMS results', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: `logvault-${stageName}-jobs`,
      WorkGroupConfiguration: {
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        EnforceWorkGroupConfiguration: false,
        ResultConfiguration: {
          OutputLocation: Match.anyValue(),
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() },
        },
      },
    });
  });

  // An analyst, or any other function, given the jobs workgroup could write
  // wherever its own S3 grants reach without the enforced limits.
  it('lets only the aggregation and hold-apply roles query in the jobs workgroup, and them nowhere else', () => {
    const roles = Object.entries(template.findResources('AWS::IAM::Role'));
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    type Resource = ReturnType<typeof template.findResources>[string];
    const workGroupsOf = (policy: Resource) =>
      (policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[])
        .filter((st) => [st.Action].flat().includes('athena:StartQueryExecution'))
        .map((st) => JSON.stringify(st.Resource).match(/workgroup\/([\w-]+)/)![1]);
    const byRole = roles.map(([id, role]) => {
      const groups = policies
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${id}"`))
        .flatMap(workGroupsOf);
      return [role.Properties.RoleName ?? id, groups] as const;
    });
    const users = byRole.filter(([, groups]) => groups.length > 0);
    expect(users.map(([name, groups]) => [JSON.stringify(name), groups])).toEqual([
      [expect.stringMatching(/aggregate-daily|DailyAggregation/), [`logvault-${stageName}-jobs`]],
      [expect.stringMatching(/hold-apply/), [`logvault-${stageName}-jobs`]],
    ]);
  });
});

describe('analytics config', () => {
  it('refuses an ACME projection longer than the archive keeps data', () => {
    const prod = stages.prod as { analytics: Record<string, unknown> };
    expect(() =>
      parseStageConfig({ ...prod, analytics: { ...prod.analytics, acmeProjectionDays: 4000 } }),
    ).toThrow(
      /analytics.acmeProjectionDays = 4000: exceeds the subscriber archive's retention of 2588 days/,
    );
  });
});
