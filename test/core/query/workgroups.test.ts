import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseStageConfig } from '../../../core/config/load-stage-config';
import { stages } from '../../../core/config/stages';
import { jobsWorkGroupName, workGroupEnforces, workGroupName } from '../../../core/naming';
import { queryRunnerFromEnv } from '../../../core/query/from-env';
import {
  WorkGroupRuleError,
  assertWorkGroupAllows,
  isCtasWithExternalLocation,
} from '../../../core/query/workgroups';

const sqlRoot = join(__dirname, '../../../sql');
const sqlOf = (dir: string) =>
  readdirSync(join(sqlRoot, dir)).map(
    (f) => [`${dir}/${f}`, readFileSync(join(sqlRoot, dir, f), 'utf8')] as const,
  );
const statements = [...sqlOf('jobs'), ...sqlOf('holds')];
/** The statements the daily aggregation, its ranking and the OCSP extract write with. */
const ctas = [
  'jobs/ocsp-cert-daily.sql',
  'jobs/ocsp-cert-rank-daily.sql',
  'holds/ocsp-extract.sql',
];

describe("Athena's workgroup rules on the local engine (issue 12, finding 2)", () => {
  it('knows which workgroup enforces: the analysts’ does, the jobs’ does not', () => {
    expect(workGroupEnforces(workGroupName('prod'))).toBe(true);
    expect(workGroupEnforces(jobsWorkGroupName('prod'))).toBe(false);
    // A workgroup logvault did not make gets Athena's default: enforced.
    expect(workGroupEnforces('primary')).toBe(true);
  });

  it('finds exactly the CTAS statements with external_location among the jobs’ and holds’ SQL', () => {
    expect(
      statements
        .filter(([, sql]) => isCtasWithExternalLocation(sql))
        .map(([f]) => f)
        .sort(),
    ).toEqual([...ctas].sort());
  });

  it.each(ctas)(
    'refuses %s in the analysts’ enforced workgroup and allows it in the jobs one',
    (file) => {
      const sql = statements.find(([f]) => f === file)![1];
      expect(() => assertWorkGroupAllows(sql, workGroupName('dev'))).toThrow(WorkGroupRuleError);
      expect(() => assertWorkGroupAllows(sql, workGroupName('dev'))).toThrow(
        /workgroup logvault-dev enforces its configuration.*set ATHENA_WORKGROUP to the jobs workgroup/,
      );
      expect(() => assertWorkGroupAllows(sql, jobsWorkGroupName('dev'))).not.toThrow();
    },
  );

  // Nothing listens on port 9: the refusal must come before the statement reaches Trino.
  it('the runner from the environment refuses before sending anything to Trino', async () => {
    const runner = queryRunnerFromEnv({
      LOGVAULT_QUERY_ENGINE: 'trino',
      TRINO_URL: 'http://127.0.0.1:9',
      ATHENA_WORKGROUP: workGroupName('dev'),
    });
    const sql = statements.find(([f]) => f === 'holds/ocsp-extract.sql')![1];
    await expect(runner.run(sql)).rejects.toBeInstanceOf(WorkGroupRuleError);
  });

  it('refuses a stage name that would take another stage’s jobs workgroup name', () => {
    expect(() => parseStageConfig({ ...(stages.dev as object), stage: 'dev-jobs' })).toThrow(
      /stage.*must not end with "-jobs"/,
    );
  });
});
