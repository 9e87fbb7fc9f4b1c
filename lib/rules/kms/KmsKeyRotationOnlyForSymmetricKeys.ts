import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';

/**
 * Automatic rotation exists only for symmetric encryption keys, so an
 * asymmetric signing key (the digest key) must not ask for it: "Automatic key
 * rotation is supported only on symmetric encryption KMS keys with key
 * material that AWS KMS generates (Origin = AWS_KMS)." (AWS KMS Developer
 * Guide, "Rotating AWS KMS keys"). Such a key is rotated by hand, with a new
 * key and alias (see docs/sealing.md).
 */
export const KmsKeyRotationOnlyForSymmetricKeys: AwsRule = {
  name: 'KmsKeyRotationOnlyForSymmetricKeys',
  level: NagMessageLevel.ERROR,
  info: 'This KMS key is asymmetric or HMAC but asks for automatic rotation (EnableKeyRotation/RotationPeriodInDays): AWS KMS refuses it and the deploy fails.',
  doc: {
    title: 'Rotating AWS KMS keys',
    url: 'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html',
    sentence:
      'Automatic key rotation is supported only on symmetric encryption KMS keys with key material that AWS KMS generates (Origin = AWS_KMS).',
  },
  appliesTo: ['AWS::KMS::Key'],
  check: (key) => {
    const spec = key.properties.KeySpec ?? 'SYMMETRIC_DEFAULT';
    if (spec === 'SYMMETRIC_DEFAULT') return NOT_APPLICABLE;
    const rotation = key.properties.EnableKeyRotation;
    return verdict(
      rotation !== true && rotation !== 'true' && key.properties.RotationPeriodInDays === undefined,
    );
  },
};
