import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { UNKNOWN } from '../support/render';

/** The longest Region name in the aws, aws-cn and aws-us-gov partitions (e.g. `ap-southeast-2`). */
const LONGEST_REGION_NAME = 14;
const ACCOUNT_ID_LENGTH = 12;

/** The bucket name's length once deployed, with a Region not yet known taken at its longest. */
function deployedLength(name: string): number | undefined {
  const sized = name
    .replaceAll('${AWS::AccountId}', 'a'.repeat(ACCOUNT_ID_LENGTH))
    .replaceAll('${AWS::Region}', 'r'.repeat(LONGEST_REGION_NAME));
  return sized.includes('${') ? undefined : sized.length;
}

function literalPartsValid(name: string): boolean {
  const literal = name.replace(/\$\{[^}]*\}/g, 'x');
  return /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(literal) && !literal.includes('..');
}

/**
 * A bucket name CloudFormation cannot create fails the deploy, so names built
 * from the stage, account and Region are checked at synth with the account
 * (12 digits) and, unless the stack is pinned, the longest Region name:
 * "Bucket names must be between 3 (min) and 63 (max) characters long."
 * (Amazon S3 User Guide, "Bucket naming rules"), lowercase letters, numbers,
 * dots and hyphens only, beginning and ending with a letter or number.
 */
export const S3BucketNameFitsRules: AwsRule = {
  name: 'S3BucketNameFitsRules',
  level: NagMessageLevel.ERROR,
  info: 'This bucket name can exceed 63 characters once the account id and Region are filled in (or uses characters S3 refuses): the deploy fails in some Regions or stages.',
  doc: {
    title: 'Bucket naming rules',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
    sentence: 'Bucket names must be between 3 (min) and 63 (max) characters long.',
  },
  appliesTo: ['AWS::S3::Bucket'],
  check: (bucket, model) => {
    const name = model.render(bucket.properties.BucketName, bucket);
    if (name === undefined || name === UNKNOWN) return NOT_APPLICABLE;
    const length = deployedLength(name);
    if (length === undefined) return verdict(literalPartsValid(name));
    return verdict(length >= 3 && length <= 63 && literalPartsValid(name));
  },
};
