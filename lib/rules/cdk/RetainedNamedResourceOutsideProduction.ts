import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { isProduction } from './ProductionStackPinnedToEnvironment';

/** The property that fixes a physical name, for the types logvault retains. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
};

/**
 * A resource kept on `cdk destroy` under a fixed name blocks the next deploy
 * of the same stage: "Each name can only be used once. Therefore, if you
 * hardcode a table name or bucket name into your infrastructure and
 * application, you can't deploy that piece of infrastructure twice in the
 * same account." (AWS CDK Developer Guide, "Best practices for developing and
 * deploying cloud infrastructure with the AWS CDK"). Production keeps its data
 * on purpose; a non-production stage should either delete it or not fix its
 * name (or document the cleanup, see docs/deploy.md).
 */
export const RetainedNamedResourceOutsideProduction: AwsRule = {
  name: 'RetainedNamedResourceOutsideProduction',
  level: NagMessageLevel.WARN,
  info: 'This resource of a non-production stack is retained on delete under a fixed name: redeploying the stage after `cdk destroy` fails with "already exists" until it is removed by hand.',
  doc: {
    title: 'Best practices for developing and deploying cloud infrastructure with the AWS CDK',
    url: 'https://docs.aws.amazon.com/cdk/v2/guide/best-practices.html',
    sentence:
      "Each name can only be used once. Therefore, if you hardcode a table name or bucket name into your infrastructure and application, you can't deploy that piece of infrastructure twice in the same account.",
  },
  appliesTo: Object.keys(NAME_PROPERTY),
  check: (resource) => {
    if (resource.deletionPolicy !== 'Retain' || isProduction(resource.stack.stack))
      return NOT_APPLICABLE;
    return verdict(resource.properties[NAME_PROPERTY[resource.type]] === undefined);
  },
};
