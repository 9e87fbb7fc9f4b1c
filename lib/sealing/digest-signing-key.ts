import { Construct } from 'constructs';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { digestSigningKeyAlias } from '../../core/naming';

export interface DigestSigningKeyProps {
  readonly stage: string;
}

/**
 * The asymmetric key (ECC_NIST_P256, SIGN_VERIFY, ECDSA_SHA_256) that signs the
 * hourly archive digests. Stateful and retained: digests signed years ago must
 * stay verifiable, and a verifier needs only its public key.
 */
export class DigestSigningKey extends Construct {
  public readonly key: kms.Key;
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, props: DigestSigningKeyProps) {
    super(scope, id);
    this.aliasName = digestSigningKeyAlias(props.stage);
    this.key = new kms.Key(this, 'Key', {
      description: `logvault ${props.stage}: signs the hourly digests of the subscriber archive`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      alias: this.aliasName,
    });
    const reason =
      'KMS cannot rotate asymmetric keys; a rotated key would also orphan the public key that ' +
      'verifies seven years of digests. Each digest names the key id that signed it.';
    Validations.of(this.key).acknowledge({ id: 'AwsSolutions-KMS5', reason });
    Validations.of(this.key).acknowledge({
      id: 'NIST.800.53.R5-KMSBackingKeyRotationEnabled',
      reason,
    });
  }
}
