import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { allRules } from './all-rules';
import { AwsRule, explanationOf } from './rule';
import { AppModel } from './support/app-model';

/** Prefix of every finding id: `LogvaultAws-<rule name>`. */
const PACK_NAME = 'LogvaultAws';

/**
 * What AWS itself would refuse or silently get wrong in a logvault template
 * (key policies, service principals, lifecycle arithmetic, quotas), checked
 * on every synth like the cdk-nag packs: `Validations.of(app).addPlugins(new LogvaultAwsChecks())`.
 * Rules look across stacks, so the pack must run on the whole app after
 * synthesis preparation (as CDK validation plugins do).
 */
export class LogvaultAwsChecks extends NagPack {
  public readonly name = PACK_NAME;
  private readonly rules: readonly AwsRule[];

  constructor(scope?: IConstruct, props?: NagPackProps & { rules?: readonly AwsRule[] }) {
    super(scope, props);
    this.packName = PACK_NAME;
    this.rules = props?.rules ?? allRules;
  }

  /** Rebuilds the app model first: the tree may have changed since the last run. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    AppModel.forget(scope);
    return super.validateScope(scope);
  }

  protected checkResource(node: CfnResource): void {
    const model = AppModel.of(node);
    const resource = model.resourceOf(node);
    if (!resource) return;
    for (const rule of this.rules) {
      if (!rule.appliesTo.includes('*') && !rule.appliesTo.includes(resource.type)) continue;
      this.applyRule({
        ruleSuffixOverride: rule.name,
        info: rule.info,
        explanation: explanationOf(rule),
        level: rule.level,
        node,
        rule: () => rule.check(resource, model),
      });
    }
  }
}
