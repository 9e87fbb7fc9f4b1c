import { arns, awsPlacement } from '../naming';

/**
 * Resolves the CloudFormation intrinsic functions CDK emits, with the values
 * of resources already created on the stand-ins.
 */

/** What a created resource is known by: `Ref` and `Fn::GetAtt` values. */
export interface CreatedResource {
  readonly ref: string;
  readonly attributes: Record<string, string>;
  /** What the stand-in could not reproduce, for the load report. */
  readonly note?: string;
}

export interface ResolveContext {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  readonly resources: Map<string, CreatedResource>;
  readonly exports: Map<string, string>;
  /** Values of the template's parameters (an SSM-typed one: the value stored under its name). */
  readonly parameters?: ReadonlyMap<string, string>;
}

export class UnresolvableError extends Error {}

const pseudo = (ctx: ResolveContext): Record<string, string> => ({
  'AWS::AccountId': ctx.accountId,
  'AWS::Region': ctx.region,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': ctx.stackName,
  'AWS::StackId': arns.cloudFormationStack(
    awsPlacement(ctx.accountId, ctx.region),
    ctx.stackName,
    'local',
  ),
  'AWS::NoValue': '',
});

function ref(name: string, ctx: ResolveContext): string {
  const value = pseudo(ctx)[name] ?? ctx.parameters?.get(name) ?? ctx.resources.get(name)?.ref;
  if (value === undefined) throw new UnresolvableError(`Ref ${name}: not created yet or unknown`);
  return value;
}

function getAtt(args: unknown, ctx: ResolveContext): string {
  const [id, attribute] = Array.isArray(args) ? args : String(args).split('.');
  const value = ctx.resources.get(id)?.attributes[attribute];
  if (value === undefined) throw new UnresolvableError(`Fn::GetAtt ${id}.${attribute}: unknown`);
  return value;
}

function sub(args: unknown, ctx: ResolveContext): string {
  const [text, vars] = Array.isArray(args)
    ? [args[0] as string, args[1] as Record<string, unknown>]
    : [args as string, {}];
  return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
    if (vars && name in vars) return String(resolve(vars[name], ctx));
    return name.includes('.') ? getAtt(name, ctx) : ref(name, ctx);
  });
}

/** Returns `value` with every intrinsic function replaced by its local value. */
export function resolve(value: unknown, ctx: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, ctx)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, args] = entries[0];
    switch (key) {
      case 'Ref':
        return args === 'AWS::NoValue' ? NO_VALUE : ref(args as string, ctx);
      case 'Fn::GetAtt':
        return getAtt(args, ctx);
      case 'Fn::Join': {
        const [separator, parts] = args as [string, unknown[]];
        return (resolve(parts, ctx) as unknown[]).join(separator);
      }
      case 'Fn::Sub':
        return sub(args, ctx);
      case 'Fn::Select': {
        const [index, list] = args as [number, unknown];
        return (resolve(list, ctx) as unknown[])[Number(index)];
      }
      case 'Fn::Split': {
        const [separator, text] = args as [string, unknown];
        return String(resolve(text, ctx)).split(separator);
      }
      case 'Fn::ImportValue': {
        const name = String(resolve(args, ctx));
        const exported = ctx.exports.get(name);
        if (exported === undefined)
          throw new UnresolvableError(`Fn::ImportValue ${name}: no stack exports it`);
        return exported;
      }
      case 'Fn::GetAZs':
        return [`${ctx.region}a`, `${ctx.region}b`];
      default:
        if (key.startsWith('Fn::'))
          throw new UnresolvableError(`${key} is not supported by the local loader`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const resolved = resolve(v, ctx);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** Marker for `Ref: AWS::NoValue`, which removes the property that holds it. */
export const NO_VALUE = Symbol('AWS::NoValue');
