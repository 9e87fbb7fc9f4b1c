import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { isDestination, roleCanDeliver } from '../support/delivery';
import { roleOf } from '../support/iam';
import { at } from '../support/props';

function destinationsOf(fn: ModelResource, model: AppModel) {
  const configs = model
    .resources('AWS::Lambda::EventInvokeConfig')
    .filter((c) => model.target(c.properties.FunctionName, c) === fn);
  const arns = [
    [at(fn.properties, 'DeadLetterConfig', 'TargetArn'), fn] as const,
    ...configs.flatMap((c) =>
      ['OnFailure', 'OnSuccess'].map(
        (when) => [at(c.properties, 'DestinationConfig', when, 'Destination'), c] as const,
      ),
    ),
  ];
  return arns
    .map(([arn, within]) => model.target(arn, within))
    .filter((r): r is ModelResource => isDestination(r));
}

/**
 * Lambda writes a function's dead-letter queue and its asynchronous
 * destinations with the function's execution role: "If the target queue or
 * topic is encrypted with a customer managed key, the execution role must
 * also be a user in the key's resource-based policy." (AWS Lambda Developer
 * Guide, "Asynchronous invocation"), besides `sqs:SendMessage` /
 * `sns:Publish` on the target. A key policy that delegates to IAM (the
 * account principal) plus the role's own `kms:GenerateDataKey` and
 * `kms:Decrypt` counts as the role being a key user.
 */
export const LambdaRoleCanReachDestinations: AwsRule = {
  name: 'LambdaRoleCanReachDestinations',
  level: NagMessageLevel.ERROR,
  info: "The function's role cannot write to its dead-letter queue or asynchronous destination (send permission, or the target's KMS key): failed events are lost.",
  doc: {
    title: 'Asynchronous invocation (AWS Lambda)',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html',
    sentence:
      "If the target queue or topic is encrypted with a customer managed key, the execution role must also be a user in the key's resource-based policy.",
  },
  appliesTo: ['AWS::Lambda::Function'],
  check: (fn, model) => {
    const destinations = destinationsOf(fn, model);
    const role = roleOf(model, fn.properties.Role, fn);
    if (destinations.length === 0 || !role) return NOT_APPLICABLE;
    return verdict(destinations.every((d) => roleCanDeliver(model, role, d)));
  },
};
