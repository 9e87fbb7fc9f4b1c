import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditCasesAgainstRegistry } from '../../core/audit/case-check';
import { loadTemplates } from '../../local/template-loader';
import { synthStage } from '../support/synth';
import { LOCAL_REGION, OwnAccount, useOwnAccount } from '../support/standins';

/** `logvault audit --live`: open cases in the registry vs extracts in the investigations bucket. */
describe('live audit of open cases against the hold registry', () => {
  let clients: OwnAccount['clients'];
  let db: DynamoDBDocumentClient;
  let names: { investigationsBucket: string; registryTable: string };

  beforeAll(async () => {
    // An account of its own: loading the dev stage here re-points no other file's alias or role.
    let accountId: string;
    ({ clients, accountId } = await useOwnAccount());
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: LOCAL_REGION }));
    names = {
      investigationsBucket: `logvault-dev-${accountId}-${LOCAL_REGION}-investigations`,
      registryTable: `logvault-dev-${accountId}-holds`,
    };
    const { templates } = synthStage('dev');
    const stackName = 'Logvault-dev-Data';
    const { resources } = await loadTemplates(
      [{ stackName, template: templates[stackName] }],
      clients,
      {
        accountId,
        region: LOCAL_REGION,
      },
    );
    expect(resources.filter((r) => r.status === 'failed')).toEqual([]);
  });

  it('passes when no extract exists', async () => {
    const row = await auditCasesAgainstRegistry(clients.s3, db, names);
    expect(row.verdict).toBe('PASS');
    expect(row.evidence).toBe('0 open case(s), 0 extract object version(s), none of a closed case');
  });

  it('fails, naming the case, when an extract outlives its case', async () => {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: names.investigationsBucket,
        Key: 'cases/CASE-GONE-1/part-0',
        Body: 'x',
      }),
    );
    const row = await auditCasesAgainstRegistry(clients.s3, db, names);
    expect(row.verdict).toBe('FAIL');
    expect(row.evidence).toBe('1 object version(s) of closed or unknown case CASE-GONE-1');
  });
});
