import {
  CreateRoleCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
} from '@aws-sdk/client-iam';
import { ResourceCreator } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

/**
 * Creates the role so resources that name it (delivery streams) get a real
 * ARN. moto does not enforce IAM: the role's policies are judged on the
 * template by tests and `logvault audit`, not here.
 */
export const createRole: ResourceCreator = async (logicalId, p: any, { clients, ctx }) => {
  // CDK leaves roles unnamed; CloudFormation would derive <stack>-<logicalId>-<random>.
  const name: string = p.RoleName ?? `${ctx.stackName}-${logicalId}`.slice(0, 64);
  let arn: string;
  try {
    const { Role } = await clients.iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify(p.AssumeRolePolicyDocument),
        Description: p.Description,
        Tags: p.Tags,
      }),
    );
    arn = Role!.Arn!;
  } catch (error) {
    if (!(error instanceof EntityAlreadyExistsException)) throw error;
    arn = (await clients.iam.send(new GetRoleCommand({ RoleName: name }))).Role!.Arn!;
  }
  return {
    ref: name,
    attributes: { Arn: arn, RoleId: name },
    note: 'moto does not enforce IAM; policies are checked on the template',
  };
};
