import { IncomingHttpHeaders } from 'node:http';
import { S3RateClass } from './profiles';

/**
 * Names the service and operation of one AWS API request from what is on the
 * wire, without reading a body the caller has not buffered: the SigV4
 * credential scope names the service; the operation comes from
 * `x-amz-target` (JSON protocols), the path (RPC v2 CBOR), the `Action`
 * form field (query protocol) or, for S3, the method, path and subresource.
 * S3 requests are path-style (`/bucket/key`), as the stand-in clients send them.
 */

/** Where an S3 request lands, for the per-prefix rate limit. */
export interface S3Target {
  readonly bucket: string;
  /** The prefix the request counts against, e.g. `acme/2026/01/01/00/`; '' for the bucket. */
  readonly prefix: string;
  readonly rateClass: S3RateClass;
}

export interface Classified {
  /** SigV4 signing name (`s3`, `dynamodb`, ...), or `unsigned`. */
  readonly service: string;
  readonly operation: string;
  readonly s3?: S3Target;
}

/**
 * How S3 prefixes are drawn: `dir` counts each request against its key's
 * "directory" (everything up to the last `/`), a number N against the key's
 * first N segments (0: the whole bucket, as a bucket S3 has not partitioned yet).
 */
export type PrefixDepth = 'dir' | number;

export interface RequestHead {
  readonly method: string;
  /** Path and query, as on the request line. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

type Operations = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Object subresources (`?legal-hold`) and the operation each method names. */
const OBJECT_SUBRESOURCES: Operations = {
  'legal-hold': { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' },
  retention: { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' },
  tagging: { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' },
  acl: { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' },
  attributes: { GET: 'GetObjectAttributes' },
  uploads: { POST: 'CreateMultipartUpload' },
  uploadId: {
    GET: 'ListParts',
    PUT: 'UploadPart',
    POST: 'CompleteMultipartUpload',
    DELETE: 'AbortMultipartUpload',
  },
  restore: { POST: 'RestoreObject' },
  select: { POST: 'SelectObjectContent' },
};

const BUCKET_SUBRESOURCES: Operations = {
  versions: { GET: 'ListObjectVersions' },
  'list-type': { GET: 'ListObjectsV2' },
  uploads: { GET: 'ListMultipartUploads' },
  delete: { POST: 'DeleteObjects' },
  location: { GET: 'GetBucketLocation' },
  'object-lock': { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' },
  versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
  lifecycle: {
    GET: 'GetBucketLifecycleConfiguration',
    PUT: 'PutBucketLifecycleConfiguration',
    DELETE: 'DeleteBucketLifecycle',
  },
  policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
  tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' },
  encryption: {
    GET: 'GetBucketEncryption',
    PUT: 'PutBucketEncryption',
    DELETE: 'DeleteBucketEncryption',
  },
  notification: {
    GET: 'GetBucketNotificationConfiguration',
    PUT: 'PutBucketNotificationConfiguration',
  },
};

const OBJECT_PLAIN: Readonly<Record<string, string>> = {
  GET: 'GetObject',
  HEAD: 'HeadObject',
  PUT: 'PutObject',
  DELETE: 'DeleteObject',
  POST: 'PostObject',
};

const BUCKET_PLAIN: Readonly<Record<string, string>> = {
  GET: 'ListObjects',
  HEAD: 'HeadBucket',
  PUT: 'CreateBucket',
  DELETE: 'DeleteBucket',
};

/** The signing name in `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
function signingService(head: RequestHead, query: URLSearchParams): string {
  const credential =
    /Credential=([^,\s]+)/.exec(String(head.headers.authorization ?? ''))?.[1] ??
    query.get('X-Amz-Credential') ??
    '';
  return credential.split('/')[3] || 'unsigned';
}

function s3Operation(
  head: RequestHead,
  level: 'object' | 'bucket',
  query: URLSearchParams,
): string {
  const table = level === 'object' ? OBJECT_SUBRESOURCES : BUCKET_SUBRESOURCES;
  const subresource = [...query.keys()].find((k) => k in table);
  const copy = head.headers['x-amz-copy-source'] !== undefined;
  if (subresource) {
    const op = table[subresource][head.method];
    if (op === 'UploadPart' && copy) return 'UploadPartCopy';
    return op ?? `${head.method} ?${subresource}`;
  }
  if (level === 'object' && head.method === 'PUT' && copy) return 'CopyObject';
  return (level === 'object' ? OBJECT_PLAIN : BUCKET_PLAIN)[head.method] ?? head.method;
}

/** The part of `key` a request counts against under `depth`. */
export function prefixOf(key: string, depth: PrefixDepth): string {
  const dir = key.slice(0, key.lastIndexOf('/') + 1);
  if (depth === 'dir') return dir;
  const segments = dir.split('/').filter((s) => s !== '');
  return segments.length >= depth
    ? segments.slice(0, depth).join('/') + (depth > 0 ? '/' : '')
    : dir;
}

/** Percent-decoding that keeps a malformed sequence as it came: a hostile path must not throw. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function classifyS3(head: RequestHead, query: URLSearchParams, depth: PrefixDepth): Classified {
  const path = new URL(head.url, 'http://proxy').pathname;
  const slash = path.indexOf('/', 1);
  const bucket = decoded(slash < 0 ? path.slice(1) : path.slice(1, slash));
  const key = slash < 0 ? '' : decoded(path.slice(slash + 1));
  const rateClass: S3RateClass = head.method === 'GET' || head.method === 'HEAD' ? 'read' : 'write';
  if (bucket === '') return { service: 's3', operation: 'ListBuckets' };
  const level = key === '' ? 'bucket' : 'object';
  const listed = query.get('prefix');
  const prefix = level === 'object' ? prefixOf(key, depth) : listed ? prefixOf(listed, depth) : '';
  return {
    service: 's3',
    operation: s3Operation(head, level, query),
    s3: { bucket, prefix, rateClass },
  };
}

/**
 * Classifies a request. `form` is the body of a query-protocol request
 * (`application/x-www-form-urlencoded`), when the caller buffered it.
 */
export function classify(head: RequestHead, depth: PrefixDepth, form?: string): Classified {
  const query = new URL(head.url, 'http://proxy').searchParams;
  const service = signingService(head, query);
  if (service === 's3') return classifyS3(head, query, depth);
  const target = head.headers['x-amz-target'];
  if (typeof target === 'string') return { service, operation: target.split('.').pop()! };
  const rpc = /\/service\/[^/]+\/operation\/([^/?]+)/.exec(head.url);
  if (rpc) return { service, operation: rpc[1] };
  const action = query.get('Action') ?? (form ? new URLSearchParams(form).get('Action') : null);
  return { service, operation: action ?? head.method };
}
