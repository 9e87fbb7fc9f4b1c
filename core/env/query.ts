import { z } from 'zod';
import { databaseVariable, workGroupVariable } from './resources';

/**
 * How code that runs SQL finds its engine (core/query/from-env.ts): Athena
 * in a workgroup in the cloud, Trino locally. Unqualified names resolve in
 * LOGVAULT_GLUE_DATABASE.
 */
const engine = z.enum(['athena', 'trino'], { error: 'expected "athena" or "trino"' });

export const queryEnvironment = z
  .object({
    LOGVAULT_QUERY_ENGINE: engine.default('athena'),
    LOGVAULT_GLUE_DATABASE: databaseVariable.optional(),
    ATHENA_WORKGROUP: workGroupVariable.optional(),
    TRINO_URL: z.url().default('http://127.0.0.1:18080'),
  })
  .superRefine((env, ctx) => {
    if (env.LOGVAULT_QUERY_ENGINE === 'athena' && !env.ATHENA_WORKGROUP)
      ctx.addIssue({
        code: 'custom',
        path: ['ATHENA_WORKGROUP'],
        message: 'must name the Athena workgroup to run in',
      });
  });
export type QueryEnvironment = z.output<typeof queryEnvironment>;

/** What a function that queries needs: Athena, its workgroup and its database. */
export const athenaEnvironment = z.object({
  LOGVAULT_QUERY_ENGINE: engine,
  LOGVAULT_GLUE_DATABASE: databaseVariable,
  ATHENA_WORKGROUP: workGroupVariable,
});
