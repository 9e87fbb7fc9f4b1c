import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';

/** A live log group in template form (LogGroupName, RetentionInDays, KmsKeyId, Tags); undefined when absent. */
export async function readLogGroupAsTemplate(
  logs: CloudWatchLogsClient,
  name: string,
): Promise<Record<string, unknown> | undefined> {
  const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const group = logGroups?.find((g) => g.logGroupName === name);
  if (!group) return undefined;
  const { tags } = await logs.send(
    new ListTagsForResourceCommand({ resourceArn: group.logGroupArn!.replace(/:\*$/, '') }),
  );
  return {
    LogGroupName: group.logGroupName,
    RetentionInDays: group.retentionInDays,
    KmsKeyId: group.kmsKeyId,
    Tags: Object.entries(tags ?? {})
      .map(([Key, Value]) => ({ Key, Value }))
      .sort((a, b) => a.Key.localeCompare(b.Key)),
  };
}
