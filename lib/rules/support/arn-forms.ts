import { AppModel, ModelResource } from './app-model';
import { UNKNOWN } from './render';

/** `arn:${AWS::Partition}:<service>:<region>:<account>:` as the resource's stack renders it. */
function arnPrefix(model: AppModel, resource: ModelResource, service: string, regional = true) {
  const p = (name: string) => model.render({ Ref: name }, resource) ?? UNKNOWN;
  const region = regional ? p('AWS::Region') : '';
  const account = service === 's3' ? '' : p('AWS::AccountId');
  return `arn:${p('AWS::Partition')}:${service}:${region}:${account}:`;
}

function namedForms(model: AppModel, resource: ModelResource, nameProperty: string): string[] {
  const name = model.render(resource.properties[nameProperty], resource);
  return [resource.refKey, ...(name === undefined ? [] : [name])];
}

const shapes: Record<string, (model: AppModel, r: ModelResource) => string[]> = {
  'AWS::S3::Bucket': (m, r) =>
    namedForms(m, r, 'BucketName').map((n) => `${arnPrefix(m, r, 's3', false)}${n}`),
  'AWS::DynamoDB::Table': (m, r) =>
    namedForms(m, r, 'TableName').map((n) => `${arnPrefix(m, r, 'dynamodb')}table/${n}`),
  'AWS::Logs::LogGroup': (m, r) =>
    namedForms(m, r, 'LogGroupName').flatMap((n) => {
      const arn = `${arnPrefix(m, r, 'logs')}log-group:${n}`;
      return [arn, `${arn}:*`];
    }),
  'AWS::Lambda::Function': (m, r) =>
    namedForms(m, r, 'FunctionName').map((n) => `${arnPrefix(m, r, 'lambda')}function:${n}`),
  'AWS::KMS::Key': (m, r) => [`${arnPrefix(m, r, 'kms')}key/${r.refKey}`],
  'AWS::IAM::Role': (m, r) =>
    namedForms(m, r, 'RoleName').map((n) => `${arnPrefix(m, r, 'iam', false)}role/${n}`),
  'AWS::Athena::WorkGroup': (m, r) =>
    namedForms(m, r, 'Name').map((n) => `${arnPrefix(m, r, 'athena')}workgroup/${n}`),
  'AWS::SNS::Topic': (_m, r) => [r.refKey],
  // Ref of a state machine is its ARN.
  'AWS::StepFunctions::StateMachine': (m, r) => [
    r.refKey,
    ...namedForms(m, r, 'StateMachineName').map(
      (n) => `${arnPrefix(m, r, 'states')}stateMachine:${n}`,
    ),
  ],
};

/**
 * Every way a template can write the ARN of `resource`: its `Fn::GetAtt Arn`,
 * and the ARN spelled out from its physical name or `Ref`.
 */
export function arnForms(model: AppModel, resource: ModelResource): string[] {
  const shape = shapes[resource.type];
  const own = `\${${resource.stack.key}/${resource.logicalId}.Arn}`;
  return [own, ...(shape ? shape(model, resource) : [])];
}

/** ARNs of one object (or index, log stream…) under `resource`, in every form. */
export function childArns(model: AppModel, resource: ModelResource, suffix: string): string[] {
  return arnForms(model, resource)
    .filter((arn) => !arn.endsWith(':*'))
    .map((arn) => `${arn}${suffix}`);
}
