import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RenderScope, UNKNOWN, referencedResource, render } from './render';

/** One resource as CloudFormation will receive it (escape hatches included). */
export interface ModelResource {
  readonly stack: StackModel;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly deletionPolicy?: string;
  /** `${stack/logicalId}`: how `render` writes a `Ref` to this resource. */
  readonly refKey: string;
}

/** One stack of the app, with its rendering scope. */
export interface StackModel {
  readonly key: string;
  readonly stack: Stack;
  /** Renders a `Ref` to a named resource as its physical name (for comparing ARNs). */
  readonly scope: RenderScope;
  /** Renders every `Ref` as `${stack/logicalId}` (for finding the resource referred to). */
  readonly rawScope: RenderScope;
  readonly resources: ReadonlyMap<string, ModelResource>;
  /** Account and region are literals, not deploy-time pseudo parameters. */
  readonly pinned: boolean;
}

interface CfnTemplate {
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  readonly Resources?: Record<string, Record<string, unknown>>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
}

// The stack's own renderer: the same JSON CloudFormation receives, which the
// public L1 getters do not give (property overrides live only in the render).
function templateOf(stack: Stack): CfnTemplate {
  return (stack as unknown as { _toCloudFormation(): CfnTemplate })._toCloudFormation();
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function pseudoOf(stack: Stack): Record<string, string> {
  const pseudo: Record<string, string> = {};
  if (!Token.isUnresolved(stack.account)) pseudo['AWS::AccountId'] = stack.account;
  if (!Token.isUnresolved(stack.region)) {
    pseudo['AWS::Region'] = stack.region;
    pseudo['AWS::Partition'] = partitionOf(stack.region);
  }
  return pseudo;
}

/** The property holding the name a `Ref` returns, for types whose `Ref` is their name. */
const REF_NAME_PROPERTY: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Logs::LogStream': 'LogStreamName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Athena::WorkGroup': 'Name',
  'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamName',
};

type Pseudo = (name: string) => string;

/** ARN of a resource from the name its `Ref` returns, for types whose ARN has no other part. */
const ARN_FROM_NAME: Record<string, (name: string, p: Pseudo) => string> = {
  'AWS::S3::Bucket': (n, p) => `arn:${p('AWS::Partition')}:s3:::${n}`,
  'AWS::DynamoDB::Table': (n, p) =>
    `arn:${p('AWS::Partition')}:dynamodb:${p('AWS::Region')}:${p('AWS::AccountId')}:table/${n}`,
  'AWS::Lambda::Function': (n, p) =>
    `arn:${p('AWS::Partition')}:lambda:${p('AWS::Region')}:${p('AWS::AccountId')}:function:${n}`,
  'AWS::Logs::LogGroup': (n, p) =>
    `arn:${p('AWS::Partition')}:logs:${p('AWS::Region')}:${p('AWS::AccountId')}:log-group:${n}:*`,
  'AWS::KMS::Key': (n, p) =>
    `arn:${p('AWS::Partition')}:kms:${p('AWS::Region')}:${p('AWS::AccountId')}:key/${n}`,
};

const models = new WeakMap<IConstruct, AppModel>();

/**
 * Every stack of the app rendered once, so rules can look across resources
 * and stacks (a key policy against the topic that uses the key, a role's
 * policies against a queue in another stack). Built after synthesis
 * preparation, when cross-stack references have become `Fn::ImportValue`.
 */
export class AppModel {
  /** The model of the app `node` belongs to, built on first use. */
  public static of(node: IConstruct): AppModel {
    const root = node.node.root;
    let model = models.get(root);
    if (!model) {
      model = new AppModel(root);
      models.set(root, model);
    }
    return model;
  }

  /** Drops the cached model, so the next validation sees the current tree. */
  public static forget(node: IConstruct): void {
    models.delete(node.node.root);
  }

  public readonly stacks: readonly StackModel[];
  private readonly exports = new Map<string, { value: unknown; stack: StackModel }>();
  /** `AWS::SSM::Parameter` values by parameter name, for parameters that read them. */
  private readonly ssmValues = new Map<string, { value: unknown; stack: StackModel }>();
  private readonly byPath = new Map<string, ModelResource>();
  private exported?: Set<ModelResource>;

  private constructor(root: IConstruct) {
    const stacks = root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    this.stacks = stacks.map((stack) => this.modelStack(stack));
    for (const node of root.node.findAll()) {
      if (!CfnResource.isCfnResource(node)) continue;
      const stack = this.stackOf(Stack.of(node));
      const resource = stack?.resources.get(Stack.of(node).resolve(node.logicalId));
      if (resource) this.byPath.set(node.node.path, resource);
    }
  }

  private modelStack(stack: Stack): StackModel {
    const template = templateOf(stack);
    const resources = new Map<string, ModelResource>();
    const pseudo = pseudoOf(stack);
    const key = stack.node.path;
    const ssmValue = this.ssmReader(template);
    const rawScope: RenderScope = {
      stackKey: key,
      pseudo,
      importValue: (name) => {
        const exported = this.exports.get(name);
        return exported && { value: exported.value, scope: exported.stack.rawScope };
      },
      parameter: (name) => {
        const stored = ssmValue(name);
        return stored && { value: stored.value, scope: stored.stack.rawScope };
      },
    };
    const scope: RenderScope = {
      ...rawScope,
      importValue: (name) => {
        const exported = this.exports.get(name);
        return exported && { value: exported.value, scope: exported.stack.scope };
      },
      parameter: (name) => {
        const stored = ssmValue(name);
        return stored && { value: stored.value, scope: stored.stack.scope };
      },
      physicalName: (logicalId) => {
        const resource = resources.get(logicalId);
        const property = resource && REF_NAME_PROPERTY[resource.type];
        const name = property && resource.properties[property];
        return name === undefined ? undefined : render(name, scope);
      },
      physicalArn: (logicalId) => {
        const resource = resources.get(logicalId);
        const arnOf = resource && ARN_FROM_NAME[resource.type];
        if (!arnOf) return undefined;
        const name = scope.physicalName?.(logicalId) ?? `\${${key}/${logicalId}}`;
        return arnOf(name, (pseudoName) => pseudo[pseudoName] ?? `\${${pseudoName}}`);
      },
    };
    const model: StackModel = {
      key,
      stack,
      scope,
      rawScope,
      resources,
      pinned: pseudo['AWS::AccountId'] !== undefined && pseudo['AWS::Region'] !== undefined,
    };
    for (const [logicalId, body] of Object.entries(template.Resources ?? {})) {
      resources.set(logicalId, {
        stack: model,
        logicalId,
        type: String(body.Type),
        properties: (body.Properties ?? {}) as Record<string, unknown>,
        metadata: (body.Metadata ?? {}) as Record<string, unknown>,
        deletionPolicy: typeof body.DeletionPolicy === 'string' ? body.DeletionPolicy : undefined,
        refKey: `\${${key}/${logicalId}}`,
      });
    }
    for (const resource of resources.values()) {
      const name = resource.type === 'AWS::SSM::Parameter' && resource.properties.Name;
      if (typeof name === 'string')
        this.ssmValues.set(name, { value: resource.properties.Value, stack: model });
    }
    for (const output of Object.values(template.Outputs ?? {})) {
      const name = render(output.Export?.Name, rawScope);
      if (name !== undefined && name !== UNKNOWN)
        this.exports.set(name, { value: output.Value, stack: model });
    }
    return model;
  }

  /** The stored value an SSM-typed parameter of `template` reads at deploy time. */
  private ssmReader(template: CfnTemplate) {
    return (parameter: string) => {
      const declared = template.Parameters?.[parameter];
      if (declared?.Type !== 'AWS::SSM::Parameter::Value<String>') return undefined;
      return typeof declared.Default === 'string'
        ? this.ssmValues.get(declared.Default)
        : undefined;
    };
  }

  private stackOf(stack: Stack): StackModel | undefined {
    return this.stacks.find((s) => s.stack === stack);
  }

  /** The model of a CfnResource node. */
  public resourceOf(node: CfnResource): ModelResource | undefined {
    return this.byPath.get(node.node.path);
  }

  /** Every resource of a CloudFormation type, across stacks. */
  public resources(type: string): ModelResource[] {
    return this.stacks.flatMap((s) => [...s.resources.values()].filter((r) => r.type === type));
  }

  /** Renders a value as seen from `within`'s stack. */
  public render(value: unknown, within: ModelResource | StackModel): string | undefined {
    const stack = 'scope' in within ? within : within.stack;
    return render(value, stack.scope);
  }

  /** The resource a value refers to by `Ref`, `Fn::GetAtt` or `Fn::ImportValue`. */
  public target(value: unknown, within: ModelResource | StackModel): ModelResource | undefined {
    const stack = 'scope' in within ? within : within.stack;
    const ref = referencedResource(render(value, stack.rawScope));
    if (!ref) return undefined;
    return this.stacks.find((s) => s.key === ref.stackKey)?.resources.get(ref.logicalId);
  }

  /** The resources the stacks export (`Outputs` with an `Export`), for other stacks to import. */
  public exportedResources(): ReadonlySet<ModelResource> {
    if (!this.exported) {
      const found = new Set<ModelResource>();
      for (const { value, stack } of this.exports.values()) {
        const resource = this.target(value, stack);
        if (resource) found.add(resource);
      }
      this.exported = found;
    }
    return this.exported;
  }
}
