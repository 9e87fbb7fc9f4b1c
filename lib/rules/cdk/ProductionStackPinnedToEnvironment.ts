import { NagMessageLevel } from 'cdk-nag';
import { Stack } from 'aws-cdk-lib';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { ModelResource, StackModel } from '../support/app-model';

/** A production stack: termination-protected, or depending on one that is. */
export function isProduction(stack: Stack): boolean {
  return stack.terminationProtection || stack.dependencies.some(isProduction);
}

function firstResource(stack: StackModel): ModelResource | undefined {
  return stack.resources.values().next().value;
}

/**
 * A production stack without an explicit account and Region deploys wherever
 * the caller's credentials point: "We recommend this approach for production
 * environments. By explicitly specifying the environment in this way, you
 * can ensure that the stack is always deployed to the specific environment."
 * (AWS CDK Developer Guide, "Configure environments to use with the AWS
 * CDK"). Reported once per stack, on its first resource; a stack counts as
 * production when it is termination-protected or depends on one that is.
 */
export const ProductionStackPinnedToEnvironment: AwsRule = {
  name: 'ProductionStackPinnedToEnvironment',
  level: NagMessageLevel.ERROR,
  info: 'This production stack is environment-agnostic: `cdk deploy` creates it (Object Lock archive included) in whatever account and Region the credentials point to.',
  doc: {
    title: 'Configure environments to use with the AWS CDK',
    url: 'https://docs.aws.amazon.com/cdk/v2/guide/configure-env.html',
    sentence:
      'We recommend this approach for production environments. By explicitly specifying the environment in this way, you can ensure that the stack is always deployed to the specific environment.',
  },
  appliesTo: ['*'],
  check: (resource) => {
    const stack = resource.stack;
    if (firstResource(stack) !== resource || !isProduction(stack.stack)) return NOT_APPLICABLE;
    return verdict(stack.pinned);
  },
};
