import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';

/** A live stream in template form, for round-trip tests. */
export async function readDeliveryStreamAsTemplate(
  firehose: FirehoseClient,
  name: string,
): Promise<Record<string, unknown>> {
  const { DeliveryStreamDescription: d } = await firehose.send(
    new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }),
  );
  const s3 = d!.Destinations![0].ExtendedS3DestinationDescription!;
  return {
    DeliveryStreamName: d!.DeliveryStreamName,
    DeliveryStreamType: d!.DeliveryStreamType,
    DeliveryStreamEncryptionConfigurationInput: d!.DeliveryStreamEncryptionConfiguration && {
      KeyType: d!.DeliveryStreamEncryptionConfiguration.KeyType,
      KeyARN: d!.DeliveryStreamEncryptionConfiguration.KeyARN,
    },
    ExtendedS3DestinationConfiguration: {
      BucketARN: s3.BucketARN,
      RoleARN: s3.RoleARN,
      Prefix: s3.Prefix,
      ErrorOutputPrefix: s3.ErrorOutputPrefix,
      CompressionFormat: s3.CompressionFormat,
      BufferingHints: s3.BufferingHints,
      EncryptionConfiguration: s3.EncryptionConfiguration,
      CloudWatchLoggingOptions: s3.CloudWatchLoggingOptions,
      // The transformation that checks every record server side (issue 18).
      ProcessingConfiguration: s3.ProcessingConfiguration,
    },
  };
}
