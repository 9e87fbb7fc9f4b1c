import { parseEnvironment } from '../env/parse';
import { queryEnvironment } from '../env/query';
import { AthenaQueryRunner } from './athena-runner';
import { SubmittingQueryRunner } from './runner';
import { TrinoQueryRunner } from './trino-runner';

/**
 * The runner the environment asks for (core/env/query.ts), so handlers and
 * the CLI need no engine-specific code: Athena in ATHENA_WORKGROUP, or Trino
 * at TRINO_URL, applying the rules of ATHENA_WORKGROUP when it is set;
 * unqualified names resolve in LOGVAULT_GLUE_DATABASE.
 */
export function queryRunnerFromEnv(
  env: Record<string, unknown> = process.env,
): SubmittingQueryRunner {
  const parsed = parseEnvironment(queryEnvironment, env, 'the query engine');
  const database = parsed.LOGVAULT_GLUE_DATABASE;
  if (parsed.LOGVAULT_QUERY_ENGINE === 'trino')
    return new TrinoQueryRunner({
      url: parsed.TRINO_URL,
      schema: database,
      workGroup: parsed.ATHENA_WORKGROUP,
    });
  return new AthenaQueryRunner({ workGroup: parsed.ATHENA_WORKGROUP!, database });
}
