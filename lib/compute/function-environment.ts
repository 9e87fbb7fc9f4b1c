import type { z } from 'zod';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { functionEnvironments } from '../../core/env';
import type { BASE_VARIABLES } from '../../core/env/base';
import type { FunctionName } from '../../core/naming';
import type { ResourceKind } from '../../core/env/resources';

/**
 * A variable that names a resource, with the access that goes with it: a
 * function can only be handed a bucket, table, key, role, workgroup or
 * database through its environment together with the grant to use it.
 */
export interface Binding<K extends ResourceKind = ResourceKind> {
  readonly kind: K;
  /** What the variable holds. */
  readonly value: string;
  /** Grants the function's role what the variable lets it reach, KMS included. */
  readonly grant: (role: iam.Role) => void;
}

export function binding<K extends ResourceKind>(
  kind: K,
  value: string,
  grant: (role: iam.Role) => void,
): Binding<K> {
  return { kind, value, grant };
}

type KindOf<T> = { [K in ResourceKind]: T extends z.core.$brand<K> ? K : never }[ResourceKind];
type ValueOf<T> = [KindOf<T>] extends [never] ? string : Binding<KindOf<T>>;

/**
 * The variables a construct sets for a function, typed by the function's
 * contract (core/env): every variable the handler requires, resource
 * variables only as bindings. LoggedFunction sets the base variables itself.
 */
export type Variables<S extends z.ZodObject> = {
  [K in keyof z.output<S> as Exclude<K, (typeof BASE_VARIABLES)[number]>]: ValueOf<
    NonNullable<z.output<S>[K]>
  >;
};

/** A function's environment: its variables, and the grants its resource variables carry. */
export interface FunctionEnvironment<F extends FunctionName = FunctionName> {
  readonly fn: F;
  readonly variables: Readonly<Record<string, string>>;
  readonly bindings: readonly Binding[];
}

/** Builds the environment of `fn` from the variables of its contract (core/env). */
export function functionEnvironment<F extends FunctionName>(
  fn: F,
  variables: Variables<(typeof functionEnvironments)[F]>,
): FunctionEnvironment<F> {
  const entries = Object.entries(variables as Record<string, string | Binding>);
  return {
    fn,
    variables: Object.fromEntries(
      entries.map(([name, v]) => [name, typeof v === 'string' ? v : v.value]),
    ),
    bindings: entries.flatMap(([, v]) => (typeof v === 'string' ? [] : [v])),
  };
}
