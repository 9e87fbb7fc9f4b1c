import { classify, prefixOf } from '../../local/latency-proxy/classify';
import { proxyOptions } from '../../local/latency-proxy/options';
import { awsProfile, awsProfileWithS3Ms, latencyOf } from '../../local/latency-proxy/profiles';
import { RateLimiter } from '../../local/latency-proxy/rate-limiter';

/** The proxy's pure parts: how a request is named, limited and configured. */

const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
});

describe('classify', () => {
  const s3 = (method: string, url: string, extra: Record<string, string> = {}) =>
    classify({ method, url, headers: { ...signed('s3'), ...extra } }, 'dir');

  it.each([
    ['PUT', '/b/acme/2026/01/01/00/o?legal-hold', {}, 'PutObjectLegalHold', 'write'],
    ['GET', '/b/acme/2026/01/01/00/o?legal-hold', {}, 'GetObjectLegalHold', 'read'],
    ['GET', '/b/acme/2026/01/01/00/o?tagging', {}, 'GetObjectTagging', 'read'],
    ['PUT', '/b/acme/2026/01/01/00/o', {}, 'PutObject', 'write'],
    ['PUT', '/b/acme/o', { 'x-amz-copy-source': '/b/x' }, 'CopyObject', 'write'],
    [
      'PUT',
      '/b/k?partNumber=1&uploadId=u',
      { 'x-amz-copy-source': '/b/x' },
      'UploadPartCopy',
      'write',
    ],
    ['HEAD', '/b/acme/o', {}, 'HeadObject', 'read'],
    ['DELETE', '/b/acme/o?versionId=v', {}, 'DeleteObject', 'write'],
    ['GET', '/b?versions&prefix=acme%2F2026%2F', {}, 'ListObjectVersions', 'read'],
    ['GET', '/b?list-type=2&prefix=acme/', {}, 'ListObjectsV2', 'read'],
    ['POST', '/b?delete', {}, 'DeleteObjects', 'write'],
    ['PUT', '/b', {}, 'CreateBucket', 'write'],
    ['PUT', '/b?tagging', {}, 'PutBucketTagging', 'write'],
  ] as const)('%s %s is %s (%s)', (method, url, headers, operation, rateClass) => {
    const c = s3(method, url, headers);
    expect(c).toMatchObject({ service: 's3', operation, s3: { bucket: 'b', rateClass } });
  });

  it('counts an object against its directory and a listing against its prefix', () => {
    expect(s3('PUT', '/b/acme/2026/01/01/00/obj%20one').s3?.prefix).toBe('acme/2026/01/01/00/');
    expect(s3('GET', '/b?versions&prefix=acme%2F2026%2F01%2F').s3?.prefix).toBe('acme/2026/01/');
    expect(s3('PUT', '/b?versioning').s3?.prefix).toBe('');
    expect(s3('GET', '/').operation).toBe('ListBuckets');
  });

  it('keeps a malformed percent-encoding as it came instead of throwing', () => {
    expect(s3('PUT', '/b/%ZZ/k%E0').s3).toEqual({
      bucket: 'b',
      prefix: '%ZZ/',
      rateClass: 'write',
    });
  });

  it('draws prefixes at a fixed depth when asked', () => {
    expect(prefixOf('acme/2026/01/01/00/o', 2)).toBe('acme/2026/');
    expect(prefixOf('acme/2026/01/01/00/o', 0)).toBe('');
    expect(prefixOf('acme/o', 3)).toBe('acme/');
    expect(prefixOf('o', 'dir')).toBe('');
  });

  it('names JSON, RPC v2 CBOR, query-protocol and unsigned requests', () => {
    const json = { ...signed('dynamodb'), 'x-amz-target': 'DynamoDB_20120810.UpdateItem' };
    expect(classify({ method: 'POST', url: '/', headers: json }, 'dir')).toEqual({
      service: 'dynamodb',
      operation: 'UpdateItem',
    });
    const cbor = '/service/GraniteServiceVersion20100801/operation/PutMetricData';
    expect(classify({ method: 'POST', url: cbor, headers: signed('monitoring') }, 'dir')).toEqual({
      service: 'monitoring',
      operation: 'PutMetricData',
    });
    const form = 'Action=GetCallerIdentity&Version=2011-06-15';
    expect(classify({ method: 'POST', url: '/', headers: signed('sts') }, 'dir', form)).toEqual({
      service: 'sts',
      operation: 'GetCallerIdentity',
    });
    expect(classify({ method: 'GET', url: '/moto-api/', headers: {} }, 'dir')).toEqual({
      service: 'unsigned',
      operation: 'GET',
    });
  });
});

describe('RateLimiter', () => {
  it('lets a burst of one second through, then the rate, per key', () => {
    const limiter = new RateLimiter(4);
    const burst = Array.from({ length: 6 }, () => limiter.admit('b/a/', 1000));
    expect(burst).toEqual([true, true, true, true, false, false]);
    expect(limiter.admit('b/other/', 1000)).toBe(true);
    expect(limiter.admit('b/a/', 1100)).toBe(false); // 0.4 of a token refilled
    expect(limiter.admit('b/a/', 1250)).toBe(true); // one token after 250 ms
    expect(limiter.admit('b/a/', 1250)).toBe(false);
  });

  it('never refuses when the rate is unlimited', () => {
    const limiter = new RateLimiter(Infinity);
    expect(Array.from({ length: 1000 }, () => limiter.admit('k', 0)).every(Boolean)).toBe(true);
  });
});

describe('profiles', () => {
  it('uses the operation entry, then the service, then the default', () => {
    expect(latencyOf(awsProfile, 's3', 'ListObjectVersions')).toBe(60);
    expect(latencyOf(awsProfile, 's3', 'PutObject')).toBe(20);
    expect(latencyOf(awsProfile, 'dynamodb', 'UpdateItem')).toBe(5);
    expect(latencyOf(awsProfile, 'sts', 'GetCallerIdentity')).toBe(awsProfile.defaultMs);
  });

  it('slows S3 alone to the higher published figure, listings never faster than an object call', () => {
    const slow = awsProfileWithS3Ms(100);
    expect(latencyOf(slow, 's3', 'PutObjectLegalHold')).toBe(100);
    expect(latencyOf(slow, 's3', 'ListObjectVersions')).toBe(100);
    expect(latencyOf(awsProfileWithS3Ms(20), 's3', 'ListObjectVersions')).toBe(60);
    expect(latencyOf(slow, 'dynamodb', 'Query')).toBe(5);
    expect(slow.s3RatePerPrefix).toEqual(awsProfile.s3RatePerPrefix);
  });

  it("keeps S3's published per-prefix rates", () => {
    expect(awsProfile.s3RatePerPrefix).toEqual({ write: 3500, read: 5500 });
  });
});

describe('command line', () => {
  const target = ['--target', 'http://127.0.0.1:4566'];

  it('applies overrides on top of the profile', () => {
    const o = proxyOptions([
      ...target,
      '--latency',
      's3=40,s3:PutObject=55,default=7',
      '--s3-write-rate',
      '10',
      '--s3-read-rate',
      '0',
      '--s3-prefix-depth',
      '2',
    ]);
    expect(latencyOf(o.profile!, 's3', 'GetObject')).toBe(40);
    expect(latencyOf(o.profile!, 's3', 'PutObject')).toBe(55);
    expect(latencyOf(o.profile!, 'sts', 'X')).toBe(7);
    expect(latencyOf(o.profile!, 'dynamodb', 'X')).toBe(5);
    expect(o.profile!.s3RatePerPrefix).toEqual({ write: 10, read: Infinity });
    expect(o.s3PrefixDepth).toBe(2);
  });

  it.each([
    [[], /--target is required/],
    [['--target', 'https://s3.amazonaws.com'], /--target must be http:\/\/host:port/],
    [
      [...target, '--profile', 'gcp'],
      /--profile must be one of aws, aws-s3-100ms, none, not "gcp"/,
    ],
    [[...target, '--latency', 's3:20'], /--latency entry "s3:20" must be service=ms/],
    [[...target, '--latency', 's3=-5'], /--latency s3 must be a whole number >= 0/],
    [[...target, '--s3-write-rate', 'fast'], /--s3-write-rate must be a whole number >= 0/],
    [[...target, '--s3-prefix-depth', 'deep'], /--s3-prefix-depth must be a whole number/],
    [[...target, '--port=1.5'], /--port must be a whole number >= 0/],
  ])('refuses %j, naming the option', (argv, message) => {
    expect(() => proxyOptions(argv)).toThrow(message);
  });
});
