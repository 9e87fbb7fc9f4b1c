import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, verdict } from '../rule';

/**
 * A resource another stack imports through a CloudFormation export cannot
 * be replaced or removed while the import exists: "Strong (default): The
 * producing stack creates a CloudFormation export and the consuming stack
 * uses Fn::ImportValue. This means the producing stack cannot be updated to
 * remove the export while any consumer still imports it." (AWS CDK Developer
 * Guide, "Resources and the AWS CDK", section "Reference strength"). Weak
 * references (`Fn::GetStackOutput`), or physical names passed as stage
 * configuration, leave the stacks free to change.
 */
export const NoStrongCrossStackReferences: AwsRule = {
  name: 'NoStrongCrossStackReferences',
  level: NagMessageLevel.WARN,
  info: 'Another stack imports this resource through a CloudFormation export: the export, and so the resource, cannot change while it is imported (deadly embrace on refactors).',
  doc: {
    title: 'Resources and the AWS CDK: Reference strength',
    url: 'https://docs.aws.amazon.com/cdk/v2/guide/resources.html',
    sentence:
      'Strong (default): The producing stack creates a CloudFormation export and the consuming stack uses Fn::ImportValue. This means the producing stack cannot be updated to remove the export while any consumer still imports it.',
  },
  appliesTo: ['*'],
  check: (resource, model) => verdict(!model.exportedResources().has(resource)),
};
