import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { ResourceCreator, createOrUpdate } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

export const createKey: ResourceCreator = async (_id, p: any, { clients }) => {
  const { KeyMetadata } = await clients.kms.send(
    new CreateKeyCommand({
      Description: p.Description,
      KeySpec: p.KeySpec,
      KeyUsage: p.KeyUsage,
      Policy: p.KeyPolicy ? JSON.stringify(p.KeyPolicy) : undefined,
    }),
  );
  if (p.EnableKeyRotation)
    await clients.kms.send(new EnableKeyRotationCommand({ KeyId: KeyMetadata!.KeyId }));
  return {
    ref: KeyMetadata!.KeyId!,
    attributes: { Arn: KeyMetadata!.Arn!, KeyId: KeyMetadata!.KeyId! },
  };
};

/** Creates the alias, or re-points it when an earlier local load left one behind. */
export const createAlias: ResourceCreator = async (_id, p: any, { clients }) => {
  const alias = { AliasName: p.AliasName, TargetKeyId: p.TargetKeyId };
  await createOrUpdate(
    () => clients.kms.send(new CreateAliasCommand(alias)),
    (error) => error instanceof AlreadyExistsException,
    () => clients.kms.send(new UpdateAliasCommand(alias)),
  );
  return { ref: p.AliasName, attributes: {} };
};
