import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  ResourceInUseException,
} from '@aws-sdk/client-firehose';
import { ResourceCreator } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

/** The CreateDeliveryStream request an `AWS::KinesisFirehose::DeliveryStream` declares. */
function createInput(p: any) {
  return {
    DeliveryStreamName: p.DeliveryStreamName,
    DeliveryStreamType: p.DeliveryStreamType,
    DeliveryStreamEncryptionConfigurationInput: p.DeliveryStreamEncryptionConfigurationInput,
    ExtendedS3DestinationConfiguration: p.ExtendedS3DestinationConfiguration,
    Tags: p.Tags,
  };
}

/**
 * Creates the stream with the template's destination (moto writes each Put
 * call straight to the bucket under `<Prefix>YYYY/MM/dd/HH/`, uncompressed).
 * A stream left by an earlier local load is replaced, so its settings match.
 */
export const createDeliveryStream: ResourceCreator = async (_id, p: any, { clients }) => {
  if (!p.DeliveryStreamName) throw new Error('DeliveryStreamName is required locally');
  if (!p.ExtendedS3DestinationConfiguration)
    throw new Error('only ExtendedS3 destinations are created locally');
  let arn: string | undefined;
  try {
    ({ DeliveryStreamARN: arn } = await clients.firehose.send(
      new CreateDeliveryStreamCommand(createInput(p)),
    ));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await clients.firehose.send(
      new DeleteDeliveryStreamCommand({ DeliveryStreamName: p.DeliveryStreamName }),
    );
    ({ DeliveryStreamARN: arn } = await clients.firehose.send(
      new CreateDeliveryStreamCommand(createInput(p)),
    ));
  }
  return {
    ref: p.DeliveryStreamName,
    attributes: { Arn: arn! },
    note: 'moto: no buffering, compression, error prefix or error logging; one object per Put call',
  };
};
