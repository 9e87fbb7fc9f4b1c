import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ResourceCreator, createOrUpdate } from './types';
import { arns, awsPlacement } from '../../core/naming';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

const tagMap = (tags: { Key: string; Value: string }[] = []) =>
  Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

/**
 * Creates the log group with its key, retention and tags. A group left by an
 * earlier local load is brought to the template's settings instead.
 */
export const createLogGroup: ResourceCreator = async (_id, p: any, { clients, ctx }) => {
  const name: string = p.LogGroupName;
  if (!name) throw new Error('LogGroupName is required locally (name the log group)');
  const arn = arns.logGroup(awsPlacement(ctx.accountId, ctx.region), name);
  try {
    await clients.logs.send(
      new CreateLogGroupCommand({ logGroupName: name, kmsKeyId: p.KmsKeyId, tags: tagMap(p.Tags) }),
    );
  } catch (error) {
    if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    const { logGroups } = await clients.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: name }),
    );
    const tags = tagMap(p.Tags);
    if (Object.keys(tags).length > 0)
      await clients.logs.send(
        new TagResourceCommand({
          resourceArn: logGroups![0].logGroupArn!.replace(/:\*$/, ''),
          tags,
        }),
      );
  }
  if (p.RetentionInDays)
    await clients.logs.send(
      new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: p.RetentionInDays }),
    );
  else await clients.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
  return { ref: name, attributes: { Arn: `${arn}:*` } };
};

export const createLogStream: ResourceCreator = async (_id, p: any, { clients }) => {
  await createOrUpdate(
    () =>
      clients.logs.send(
        new CreateLogStreamCommand({
          logGroupName: p.LogGroupName,
          logStreamName: p.LogStreamName,
        }),
      ),
    (error) => error instanceof ResourceAlreadyExistsException,
  );
  return { ref: p.LogStreamName, attributes: {} };
};
