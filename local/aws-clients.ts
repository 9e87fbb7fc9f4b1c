import { S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { AthenaClient } from '@aws-sdk/client-athena';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';

/**
 * SDK clients for the local stand-ins. Endpoints come from AWS_ENDPOINT_URL
 * (the SDK reads it), exactly as deployed code gets its endpoints.
 */
export interface AwsClients {
  readonly s3: S3Client;
  readonly kms: KMSClient;
  readonly firehose: FirehoseClient;
  readonly logs: CloudWatchLogsClient;
  readonly iam: IAMClient;
  readonly dynamodb: DynamoDBClient;
  readonly glue: GlueClient;
  readonly athena: AthenaClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
}

export function awsClients(): AwsClients {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return {
    s3: new S3Client({ region, forcePathStyle: true }),
    kms: new KMSClient({ region }),
    firehose: new FirehoseClient({ region }),
    logs: new CloudWatchLogsClient({ region }),
    iam: new IAMClient({ region }),
    dynamodb: new DynamoDBClient({ region }),
    glue: new GlueClient({ region }),
    athena: new AthenaClient({ region }),
    sfn: new SFNClient({ region }),
    sns: new SNSClient({ region }),
  };
}
