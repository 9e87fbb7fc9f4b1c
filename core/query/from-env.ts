import { AthenaQueryRunner } from './athena-runner';
import { QueryRunner } from './runner';
import { TrinoQueryRunner } from './trino-runner';

/**
 * The runner the environment asks for, so handlers and the CLI need no
 * engine-specific code:
 * - LOGVAULT_QUERY_ENGINE: `athena` (default) or `trino`
 * - LOGVAULT_GLUE_DATABASE: database unqualified names resolve in
 * - ATHENA_WORKGROUP: required for Athena
 * - TRINO_URL: default http://127.0.0.1:18080
 */
export function queryRunnerFromEnv(env: NodeJS.ProcessEnv = process.env): QueryRunner {
  const engine = env.LOGVAULT_QUERY_ENGINE ?? 'athena';
  const database = env.LOGVAULT_GLUE_DATABASE || undefined;
  switch (engine) {
    case 'trino':
      return new TrinoQueryRunner({
        url: env.TRINO_URL || 'http://127.0.0.1:18080',
        schema: database,
      });
    case 'athena': {
      const workGroup = env.ATHENA_WORKGROUP;
      if (!workGroup) throw new Error('ATHENA_WORKGROUP must name the Athena workgroup to run in');
      return new AthenaQueryRunner({ workGroup, database });
    }
    default:
      throw new Error(`LOGVAULT_QUERY_ENGINE=${engine}: expected "athena" or "trino"`);
  }
}
