import type { z } from 'zod';

/** A function's environment does not match its contract; names every variable and the fix. */
export class EnvironmentError extends Error {
  readonly name = 'EnvironmentError';
}

/**
 * Parses an environment against its schema, or throws naming each variable
 * that is missing or malformed. A handler calls this before anything else,
 * so a misconfigured function fails at once and says why.
 */
export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  env: Record<string, unknown>,
  owner: string,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `${i.path.join('.') || '(environment)'}: ${i.message}`,
  );
  throw new EnvironmentError(`environment of ${owner} is invalid: ${problems.join('; ')}`);
}
