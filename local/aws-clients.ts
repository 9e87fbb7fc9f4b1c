import { S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';

/**
 * SDK clients for the local stand-ins. Endpoints come from AWS_ENDPOINT_URL
 * (the SDK reads it), exactly as deployed code gets its endpoints.
 */
export interface AwsClients {
  readonly s3: S3Client;
  readonly kms: KMSClient;
}

export function awsClients(): AwsClients {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return {
    s3: new S3Client({ region, forcePathStyle: true }),
    kms: new KMSClient({ region }),
  };
}
