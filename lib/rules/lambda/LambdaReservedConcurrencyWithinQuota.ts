import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';

/**
 * App or stack context key stating the account's Lambda concurrent-executions
 * quota in the stage's Region (Service Quotas, "Concurrent executions").
 */
export const CONCURRENCY_QUOTA_CONTEXT = 'logvault:lambdaConcurrencyQuota';
/** Lambda keeps this much of the quota unreserved. */
const UNRESERVED_MINIMUM = 100;

function reserved(fn: ModelResource): number {
  const value = Number(fn.properties.ReservedConcurrentExecutions ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** Reserved concurrency of every function deployed to the same account and Region. */
function totalReserved(model: AppModel, fn: ModelResource): number {
  const where = (r: ModelResource) =>
    `${model.render({ Ref: 'AWS::AccountId' }, r)}/${model.render({ Ref: 'AWS::Region' }, r)}`;
  return model
    .resources('AWS::Lambda::Function')
    .filter((other) => where(other) === where(fn))
    .reduce((sum, other) => sum + reserved(other), 0);
}

/**
 * Reservations fail the deploy when they leave less than 100 unreserved:
 * "You can reserve up to the Unreserved account concurrency value that is
 * shown, minus 100 for functions that don't have reserved concurrency."
 * (AWS Lambda Developer Guide, "Managing Lambda reserved concurrency"). New
 * accounts often start far below the usual 1,000, so the quota must be stated
 * (context `logvault:lambdaConcurrencyQuota`, set from the stage) and every
 * function's reservation is checked against it with the others of its
 * account and Region.
 */
export const LambdaReservedConcurrencyWithinQuota: AwsRule = {
  name: 'LambdaReservedConcurrencyWithinQuota',
  level: NagMessageLevel.ERROR,
  info: "This function reserves concurrency, but no account quota is stated (context logvault:lambdaConcurrencyQuota) or the app's reservations leave less than 100 unreserved under it: the deploy fails on such an account.",
  doc: {
    title: 'Managing Lambda reserved concurrency',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
    sentence:
      "You can reserve up to the Unreserved account concurrency value that is shown, minus 100 for functions that don't have reserved concurrency.",
  },
  appliesTo: ['AWS::Lambda::Function'],
  check: (fn, model) => {
    if (reserved(fn) <= 0) return NOT_APPLICABLE;
    const stated = fn.stack.stack.node.tryGetContext(CONCURRENCY_QUOTA_CONTEXT);
    const quota = Number(stated);
    if (stated === undefined || !Number.isFinite(quota)) return verdict(false);
    return verdict(totalReserved(model, fn) <= quota - UNRESERVED_MINIMUM);
  },
};
