import { z } from 'zod';

/**
 * Variables that name a resource. Each carries a brand, so the construct
 * that sets one (lib/compute/function-environment.ts) can only do it with a
 * binding that also grants the function access to that resource: what a
 * handler touches and what its role may touch are written in one place.
 */
const resource = <K extends string>(kind: K) =>
  z.string().min(1, `must name the ${kind}`).brand<K>();

export const bucketVariable = resource('bucket');
export const tableVariable = resource('table');
/** A KMS key id, ARN or alias. */
export const keyVariable = resource('key');
export const workGroupVariable = resource('workgroup');
export const databaseVariable = resource('database');
export const roleVariable = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
  .brand<'role'>();

/** The kinds a binding can grant on. */
export type ResourceKind =
  'bucket' | 'buckets' | 'table' | 'key' | 'workgroup' | 'database' | 'role';

/** A positive whole number, as every numeric setting is passed. */
export const countVariable = z.coerce.number().int().positive();
