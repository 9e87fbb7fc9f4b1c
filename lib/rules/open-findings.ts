import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StageConfig } from '../../core/config/stage-config';

/** Prefix of every finding id of the LogvaultAws pack. */
const PACK = 'LogvaultAws';

/**
 * A finding of the LogvaultAws pack that is known and not fixed yet:
 * acknowledged on exactly the listed resources, with a reason naming the
 * issue-12 finding still open. Temporary: `test/rules/today-templates.test.ts`
 * turns red as soon as a listed resource passes its rule, so each row goes in
 * the commit that fixes it.
 */
export interface OpenFinding {
  /** The issue-12 finding, e.g. `10`. */
  readonly finding: string;
  /** The rule name, without the `LogvaultAws-` prefix. */
  readonly rule: string;
  readonly stack: 'data' | 'compute';
  /** Construct paths of the CloudFormation resources, relative to the stack. */
  readonly paths: readonly string[];
  readonly reason: string;
}

/** The findings the stage's templates still have, each with its acknowledgement reason. */
export function openFindings(config: StageConfig): OpenFinding[] {
  const open: OpenFinding[] = [];
  if (!config.isProduction)
    open.push({
      finding: '10',
      rule: 'RetainedNamedResourceOutsideProduction',
      stack: 'data',
      paths: ['SubscriberArchive/Bucket/Resource'],
      reason:
        'issue 12 finding 10, kept on purpose: the Object Lock archive is the one bucket a ' +
        'non-production stage keeps; CloudFormation cannot empty it while versions are under ' +
        'retention or legal hold, and automatic deletion of sealed evidence is what the lock ' +
        'exists to prevent. docs/deploy.md, "Redeploying a non-production stage", removes it.',
    });
  return open;
}

/** The construct at `path` below `stack`; throws when a row names a resource that no longer exists. */
export function constructAt(stack: Stack, path: string): IConstruct {
  return path
    .split('/')
    .reduce<IConstruct>((node, id) => node.node.findChild(id), stack as IConstruct);
}

/** Acknowledges each open finding on exactly its resources, with its reason. */
export function acknowledgeOpenFindings(
  stacks: { readonly data: Stack; readonly compute: Stack },
  config: StageConfig,
): void {
  for (const open of openFindings(config))
    for (const path of open.paths)
      Validations.of(constructAt(stacks[open.stack], path)).acknowledge({
        id: `${PACK}-${open.rule}`,
        reason: open.reason,
      });
}
