import { z } from 'zod';

/** A table column derived from a stored-record schema. */
export interface Column {
  readonly name: string;
  /** Hive / Athena type. */
  readonly type: string;
  readonly comment: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- walks zod's internal definitions */
function hiveType(schema: any): string {
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return hiveType(def.innerType);
    case 'pipe':
      return hiveType(def.out.type === 'transform' ? def.in : def.out);
    case 'string':
    case 'enum':
    case 'union':
      return 'string';
    case 'number':
      return def.checks?.some((c: any) => c._zod.def.format === 'safeint') ||
        schema.format === 'safeint'
        ? 'bigint'
        : 'double';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `array<${hiveType(def.element)}>`;
    default:
      throw new Error(`no column type for zod type ${def.type}`);
  }
}

/** The columns of a stored-record schema, in declaration order, comments from `.describe()`. */
export function columnsOf(schema: z.ZodObject): Column[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    type: hiveType(field),
    comment: (field as z.ZodType).description ?? '',
  }));
}
