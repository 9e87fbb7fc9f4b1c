import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AppModel, ModelResource } from './support/app-model';

/** The AWS documentation sentence a rule enforces. */
export interface AwsDocCitation {
  /** Page title, as AWS publishes it. */
  readonly title: string;
  readonly url: string;
  /** The sentence, quoted. */
  readonly sentence: string;
}

/** A rule's answer for one resource. */
export type Verdict =
  NagRuleCompliance.COMPLIANT | NagRuleCompliance.NON_COMPLIANT | NagRuleCompliance.NOT_APPLICABLE;

/**
 * One check of what AWS would refuse, or do silently wrong, with a template.
 * Each lives in `lib/rules/<service>/<name>.ts`; findings are reported as
 * `LogvaultAws-<name>` and acknowledged like any cdk-nag rule.
 */
export interface AwsRule {
  /** The file name; the finding id is `LogvaultAws-<name>`. */
  readonly name: string;
  readonly level: NagMessageLevel;
  /** What is wrong when the rule fires, in one sentence. */
  readonly info: string;
  readonly doc: AwsDocCitation;
  /** CloudFormation types the rule is asked about; `*` for every resource. */
  readonly appliesTo: readonly string[];
  readonly check: (resource: ModelResource, model: AppModel) => Verdict;
}

/** The explanation string of a finding: the page title and the sentence. */
export function explanationOf(rule: AwsRule): string {
  return `AWS documentation, "${rule.doc.title}": "${rule.doc.sentence}" (${rule.doc.url})`;
}

/** COMPLIANT when `ok`, NON_COMPLIANT otherwise. */
export function verdict(ok: boolean): Verdict {
  return ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

export const NOT_APPLICABLE = NagRuleCompliance.NOT_APPLICABLE;
