import { z } from 'zod';
import { StageConfig, stageConfigSchema } from './stage-config';
import { stages } from './stages';

export class StageConfigError extends Error {}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object'
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined,
    input,
  );
}

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  const value = valueAt(input, issue.path);
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  return `  ${field} = ${shown}: ${issue.message}`;
}

/** Validates a raw stage definition; every problem is listed at once. */
export function parseStageConfig(input: unknown): StageConfig {
  const result = stageConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const name = valueAt(input, ['stage']) ?? '(unnamed)';
  const lines = result.error.issues.map((issue) => describeIssue(input, issue));
  throw new StageConfigError(
    `Invalid configuration for stage ${JSON.stringify(name)}:\n${lines.join('\n')}`,
  );
}

/** The validated configuration of a named stage from `stages.ts`. */
export function loadStageConfig(
  stageName: string,
  definitions: Record<string, unknown> = stages,
): StageConfig {
  const definition = definitions[stageName];
  if (definition === undefined) {
    const known = Object.keys(definitions).join(', ');
    throw new StageConfigError(
      `Unknown stage ${JSON.stringify(stageName)}: the stages are ${known} ` +
        '(logvault --stage NAME; cdk -c stage=NAME)',
    );
  }
  return parseStageConfig(definition);
}
