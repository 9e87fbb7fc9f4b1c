import { FirehoseClient } from '@aws-sdk/client-firehose';
import {
  StreamDestination,
  StreamDestinationError,
  checkStreamDestinations,
  destinationMisfit,
  destinationOf,
} from '../../core/ingest/stream-destination';
import { awsPlacement, bucketName, parseBucketName } from '../../core/naming';

/**
 * A stream is judged by where it delivers (issue 18): its bucket is the
 * retention class. The adversary is a producer pointing a stream, whatever
 * its name, at the other type's bucket.
 */
const at = awsPlacement('123456789012', 'eu-west-1');
const s3 = (
  stage: string,
  purpose: Parameters<typeof bucketName>[1],
  prefix: string,
  errors: string,
) =>
  ({
    kind: 's3',
    bucketArn: `arn:aws:s3:::${bucketName(stage, purpose, at)}`,
    prefix,
    errorPrefix: errors,
  }) satisfies StreamDestination;
const ocspRaw = s3('prod', 'ocsp-raw', 'ocsp/', 'ocsp-errors/');
const acmeLanding = s3('prod', 'subscriber-landing', 'acme/', 'acme-errors/');

describe('bucket names logvault built', () => {
  it('parses a stage bucket, a stage with hyphens included, and nothing else', () => {
    expect(parseBucketName(bucketName('my-ocsp-test', 'subscriber-landing', at))).toEqual({
      stage: 'my-ocsp-test',
      account: '123456789012',
      region: 'eu-west-1',
      purpose: 'subscriber-landing',
    });
    expect(parseBucketName('logvault-prod-123456789012-eu-west-1-ocsp-rawx')).toBeUndefined();
    expect(parseBucketName('edge-ocsp-raw')).toBeUndefined();
    expect(parseBucketName('logvault-prod-12345-eu-west-1-ocsp-raw')).toBeUndefined();
  });
});

describe('a stream is judged by its destination, not its name', () => {
  it("takes a stream of any name that delivers into its type's bucket and prefixes", () => {
    expect(destinationMisfit('ocsp', 'edge-firehose', ocspRaw)).toBeUndefined();
    expect(destinationMisfit('acme', 'acme-shipper', acmeLanding, 'prod')).toBeUndefined();
  });

  it('refuses OCSP records for a stream named for OCSP that delivers into the ACME landing bucket', () => {
    expect(destinationMisfit('ocsp', 'edge-ocsp-firehose', acmeLanding)).toBe(
      'ocsp record refused for stream edge-ocsp-firehose: it delivers into bucket ' +
        'logvault-prod-123456789012-eu-west-1-subscriber-landing, which holds acme records ' +
        "(another retention class); send ocsp records to a stream that delivers into the stage's " +
        'ocsp-raw bucket under ocsp/ (errors under ocsp-errors/), e.g. --stage ' +
        '(docs/ingestion.md, "Which stream takes which records")',
    );
  });

  it('refuses ACME events for the OCSP bucket, a bucket of another purpose, or one logvault did not name', () => {
    expect(destinationMisfit('acme', 'logvault-prod-acme-1', ocspRaw)).toMatch(
      /holds ocsp records \(another retention class\)/,
    );
    const archive = s3('prod', 'subscriber-archive', 'acme/', 'acme-errors/');
    expect(destinationMisfit('acme', 's', archive)).toMatch(/which holds subscriber-archive/);
    const foreign = { ...acmeLanding, bucketArn: 'arn:aws:s3:::acme-landing' };
    expect(destinationMisfit('acme', 's', foreign)).toMatch(
      /into bucket acme-landing, which logvault did not name/,
    );
    expect(destinationMisfit('acme', 's', { kind: 'HttpEndpoint' })).toMatch(
      /delivers to a HttpEndpoint destination, not a logvault bucket/,
    );
  });

  it("refuses another stage's bucket, and prefixes other than the type's (data or errors)", () => {
    expect(destinationMisfit('ocsp', 's', ocspRaw, 'dev')).toMatch(
      /bucket logvault-prod-.* of stage prod, not dev/,
    );
    expect(destinationMisfit('ocsp', 's', { ...ocspRaw, prefix: 'acme/' })).toMatch(
      /under prefix "acme\/" with errors under "ocsp-errors\/"/,
    );
    // Failed records under a prefix without the class's expiry would outlive it.
    expect(destinationMisfit('ocsp', 's', { ...ocspRaw, errorPrefix: '' })).toMatch(
      /with errors under ""/,
    );
  });

  it('reads ExtendedS3 (or plain S3) destinations from a description, and names any other kind', () => {
    expect(
      destinationOf({
        Destinations: [
          {
            DestinationId: 'd',
            ExtendedS3DestinationDescription: {
              BucketARN: 'arn:aws:s3:::b',
              Prefix: 'ocsp/',
              RoleARN: 'r',
              BufferingHints: {},
              CompressionFormat: 'GZIP',
              EncryptionConfiguration: {},
            },
          },
        ],
      } as never),
    ).toEqual({ kind: 's3', bucketArn: 'arn:aws:s3:::b', prefix: 'ocsp/', errorPrefix: '' });
    expect(
      destinationOf({
        Destinations: [{ DestinationId: 'd', HttpEndpointDestinationDescription: {} }],
      } as never),
    ).toEqual({ kind: 'HttpEndpoint' });
  });
});

describe('a producer role without DescribeDeliveryStream', () => {
  // A fake client: moto does not enforce IAM, so it cannot deny the call on demand.
  const denying = {
    send: async () => {
      throw Object.assign(
        new Error('User is not authorized to perform: firehose:DescribeDeliveryStream'),
        {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        },
      );
    },
  } as unknown as FirehoseClient;

  it('is told which action on which stream it needs, and nothing is sent', async () => {
    const refusal = checkStreamDestinations(denying, 'ocsp', ['logvault-prod-ocsp-1']);
    await expect(refusal).rejects.toBeInstanceOf(StreamDestinationError);
    await expect(refusal).rejects.toMatchObject({ kind: 'denied' });
    await expect(refusal).rejects.toThrow(
      "the producer's role needs firehose:DescribeDeliveryStream on the stream " +
        '(arn:aws:firehose:<region>:<account>:deliverystream/logvault-prod-ocsp-1)',
    );
  });
});
