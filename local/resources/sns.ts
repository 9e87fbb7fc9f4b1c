import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { ResourceCreator } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

/**
 * Creates the alarm topic with its name, key and tags (CreateTopic returns
 * the existing topic for the same name, so a reload is idempotent). moto
 * delivers a publish to an SQS subscriber, which `logvault smoke` uses; it
 * runs no alarm action, so nothing publishes to it by itself.
 */
export const createTopic: ResourceCreator = async (_id, p: any, { clients }) => {
  const name: string = p.TopicName;
  if (!name) throw new Error('TopicName is required locally (name the topic)');
  const { TopicArn } = await clients.sns.send(
    new CreateTopicCommand({
      Name: name,
      Attributes: p.KmsMasterKeyId ? { KmsMasterKeyId: p.KmsMasterKeyId } : undefined,
      Tags: p.Tags,
    }),
  );
  return { ref: TopicArn!, attributes: { TopicArn: TopicArn!, TopicName: name } };
};
