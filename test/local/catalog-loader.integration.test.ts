import { GetDatabaseCommand } from '@aws-sdk/client-glue';
import { GetWorkGroupCommand } from '@aws-sdk/client-athena';
import { readTableAsTemplate } from '../../core/audit/live/glue-table';
import { loadStageOnStandins, StageOnStandins } from '../support/trino';

/** The Glue and Athena resources of the prod catalog round-trip through the loader unchanged. */
describe('template loader: Glue and Athena (prod catalog)', () => {
  let stage: StageOnStandins;
  const declared = (type: string) =>
    stage.load.resources
      .filter((r) => r.type === type)
      .map((r) => stage.load.properties.get(`${r.stackName}/${r.logicalId}`)!);

  beforeAll(async () => {
    stage = await loadStageOnStandins('prod');
  }, 120_000);

  it('creates the database as declared', async () => {
    const [db] = declared('AWS::Glue::Database') as { DatabaseInput: { Name: string } }[];
    const { Database } = await stage.clients.glue.send(
      new GetDatabaseCommand({ Name: db.DatabaseInput.Name }),
    );
    expect(Database?.Name).toBe(stage.database);
  });

  it('round-trips every table and view definition (columns, formats, projection)', async () => {
    const tables = declared('AWS::Glue::Table') as {
      DatabaseName: string;
      TableInput: { Name: string };
    }[];
    expect(tables.map((t) => t.TableInput.Name)).toEqual(
      expect.arrayContaining(['ocsp_requests', 'acme_events', 'ocsp_cert_daily']),
    );
    for (const table of tables) {
      const live = await readTableAsTemplate(
        stage.clients.glue,
        table.DatabaseName,
        table.TableInput.Name,
      );
      // The template names the account's catalog; moto keeps one catalog per
      // access key, so the loader does not send it.
      const { CatalogId, ...definition } = table as typeof table & { CatalogId: string };
      expect(CatalogId).toBe(stage.accountId);
      expect(live).toMatchObject(definition);
    }
  });

  it('round-trips the workgroup configuration', async () => {
    const [declaredGroup] = declared('AWS::Athena::WorkGroup') as {
      Name: string;
      WorkGroupConfiguration: Record<string, unknown>;
    }[];
    const { WorkGroup } = await stage.clients.athena.send(
      new GetWorkGroupCommand({ WorkGroup: declaredGroup.Name }),
    );
    expect(WorkGroup?.Configuration).toMatchObject(declaredGroup.WorkGroupConfiguration);
  });
});
