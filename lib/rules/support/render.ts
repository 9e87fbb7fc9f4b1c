/**
 * Renders a CloudFormation value (as synthesized, intrinsics included) to one
 * comparable string, so that an ARN written by hand
 * (`arn:${AWS::Partition}:s3:::logvault-prod-${AWS::AccountId}-...`) and the
 * same ARN reached through `Fn::GetAtt` or `Fn::ImportValue` can be matched.
 *
 * - Pseudo parameters become `${AWS::AccountId}` and the like, or their value
 *   when the stack is pinned to an account and region.
 * - A parameter read from SSM becomes the value the app's SSM parameter of
 *   that name holds, rendered in that parameter's stack.
 * - A reference to a resource becomes `${<stack>/<logicalId>}` (its `Ref`) or
 *   `${<stack>/<logicalId>.<attribute>}` (its `Fn::GetAtt`), whichever stack
 *   it is reached from.
 * - Anything else that cannot be known before deployment becomes `${?}`.
 */

export const UNKNOWN = '${?}';

/** Where a value is rendered: its stack, and how to follow exports. */
export interface RenderScope {
  readonly stackKey: string;
  /** Literal values of pseudo parameters the stack knows (pinned account, region). */
  readonly pseudo: Readonly<Record<string, string>>;
  /** The exported value and the scope of its stack, for `Fn::ImportValue`. */
  readonly importValue: (exportName: string) => { value: unknown; scope: RenderScope } | undefined;
  /**
   * The value a template parameter resolves to at deploy time and the scope
   * it is rendered in: an `AWS::SSM::Parameter::Value<String>` parameter
   * resolves to the `Value` of the stack's `AWS::SSM::Parameter` of that name.
   */
  readonly parameter?: (name: string) => { value: unknown; scope: RenderScope } | undefined;
  /**
   * The rendered physical name a `Ref` to the resource returns, when the
   * template fixes it (a bucket's `BucketName`), so a hand-written ARN and a
   * `Ref` meet. Absent: `Ref`s stay `${stack/logicalId}`.
   */
  readonly physicalName?: (logicalId: string) => string | undefined;
  /** Likewise for `Fn::GetAtt <resource>.Arn`, for types whose ARN is built from the name. */
  readonly physicalArn?: (logicalId: string) => string | undefined;
}

type Intrinsic = Record<string, unknown>;

function isIntrinsic(value: unknown): value is Intrinsic {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function renderRef(name: unknown, scope: RenderScope): string {
  if (typeof name !== 'string') return UNKNOWN;
  if (name.startsWith('AWS::')) return scope.pseudo[name] ?? `\${${name}}`;
  const parameter = scope.parameter?.(name);
  if (parameter) return render(parameter.value, parameter.scope) ?? UNKNOWN;
  return scope.physicalName?.(name) ?? `\${${scope.stackKey}/${name}}`;
}

function renderGetAtt(args: unknown, scope: RenderScope): string {
  const [logicalId, attribute] = Array.isArray(args)
    ? args
    : typeof args === 'string'
      ? args.split('.', 2)
      : [];
  if (typeof logicalId !== 'string' || typeof attribute !== 'string') return UNKNOWN;
  const arn = attribute === 'Arn' ? scope.physicalArn?.(logicalId) : undefined;
  return arn ?? `\${${scope.stackKey}/${logicalId}.${attribute}}`;
}

function renderJoin(args: unknown, scope: RenderScope): string {
  if (!Array.isArray(args) || args.length !== 2 || !Array.isArray(args[1])) return UNKNOWN;
  const separator = typeof args[0] === 'string' ? args[0] : '';
  return args[1].map((part) => render(part, scope) ?? UNKNOWN).join(separator);
}

function renderImport(name: unknown, scope: RenderScope): string {
  const exportName = render(name, scope);
  const exported = exportName === undefined ? undefined : scope.importValue(exportName);
  return exported ? (render(exported.value, exported.scope) ?? UNKNOWN) : UNKNOWN;
}

/** Renders a scalar or intrinsic; `undefined` for lists and plain objects. */
export function render(value: unknown, scope: RenderScope): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isIntrinsic(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [fn] = keys;
  const args = value[fn];
  switch (fn) {
    case 'Ref':
      return renderRef(args, scope);
    case 'Fn::GetAtt':
      return renderGetAtt(args, scope);
    case 'Fn::Join':
      return renderJoin(args, scope);
    case 'Fn::ImportValue':
      return renderImport(args, scope);
    default:
      return fn.startsWith('Fn::') ? UNKNOWN : undefined;
  }
}

/** Renders a value that may be a list (IAM `Action`, `Resource`) to a list of strings. */
export function renderList(value: unknown, scope: RenderScope): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => render(item, scope) ?? UNKNOWN);
}

const REFERENCE = /^\$\{([^}]+)\/([^}/.]+)(?:\.([^}]+))?\}$/;

/** The resource a rendered value names on its own (`${stack/id}` or `${stack/id.Attr}`). */
export function referencedResource(
  rendered: string | undefined,
): { stackKey: string; logicalId: string; attribute?: string } | undefined {
  const match = rendered === undefined ? null : REFERENCE.exec(rendered);
  if (!match) return undefined;
  return { stackKey: match[1], logicalId: match[2], attribute: match[3] };
}
