import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { prefixes, witnessAnchorPrefix } from '../../naming';
import { objectPages } from '../../s3/pagers';
import { isPreconditionFailed, readObject, sha256Base64 } from '../../s3/objects';
import { anchorKey } from './anchor-record';

/**
 * The witness: a bucket owned by a separate AWS account, with Object Lock
 * (COMPLIANCE, default retention set by that account), into which the digest
 * function may only put new objects through a role of that account. The
 * audited account's administrators can neither delete nor replace what it
 * holds, which is what makes an anchor kept there a proof (docs/trust.md,
 * "Publication").
 */
export interface WitnessTarget {
  /** A client acting as the witness account's role (`witnessClient`). */
  readonly s3: S3Client;
  readonly bucket: string;
  readonly stage: string;
}

export interface PublicationRun {
  /** Archive keys of the anchors copied in this run. */
  readonly published: string[];
  /** Anchors the witness already held (from an earlier run, or a concurrent one). */
  readonly alreadyThere: number;
  /** One line per anchor that could not be copied, naming it and why. */
  readonly failures: string[];
}

/** The witness key of an archive anchor key: `<stage>/anchors/YYYY/MM/dd/HH.json`. */
export function witnessKey(stage: string, archiveKey: string): string {
  return `${witnessAnchorPrefix(stage)}${archiveKey.slice(prefixes.anchors.length)}`;
}

async function keysUnder(s3: S3Client, bucket: string, prefix: string, startAfter: string) {
  const keys = new Set<string>();
  for await (const page of objectPages(s3, bucket, prefix, startAfter))
    for (const o of page.Contents ?? []) keys.add(o.Key!);
  return keys;
}

/** Copies one anchor; true when this call wrote it, false when the witness had it already. */
async function copyOne(
  source: { s3: S3Client; bucket: string },
  witness: WitnessTarget,
  key: string,
): Promise<boolean> {
  const object = await readObject(source.s3, source.bucket, key);
  if (object === undefined) throw new Error('gone from the archive');
  try {
    await witness.s3.send(
      new PutObjectCommand({
        Bucket: witness.bucket,
        Key: witnessKey(witness.stage, key),
        Body: object.body,
        ContentType: 'application/json',
        // Never over an earlier copy: the first one published is the one that counts.
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256Base64(object.body),
      }),
    );
    return true;
  } catch (error) {
    if (isPreconditionFailed(error)) return false;
    throw error;
  }
}

/**
 * Copies every archive anchor from `since` on that the witness does not hold
 * yet. Run after each anchoring, it also catches up hours a failed run left
 * behind; idempotent, and it never overwrites a witness copy (a later,
 * different anchor of the same hour is exactly what the witness exists to
 * contradict). The witness's default retention locks each copy; the role
 * needs no lock permission.
 */
export async function publishAnchors(
  source: { s3: S3Client; bucket: string },
  witness: WitnessTarget,
  since: Date,
): Promise<PublicationRun> {
  const from = anchorKey(since);
  // StartAfter is exclusive: start just before the first key wanted.
  const before = from.slice(0, -1);
  const archived = await keysUnder(source.s3, source.bucket, prefixes.anchors, before);
  const held = await keysUnder(
    witness.s3,
    witness.bucket,
    witnessAnchorPrefix(witness.stage),
    witnessKey(witness.stage, before),
  );
  const run = { published: [] as string[], alreadyThere: 0, failures: [] as string[] };
  for (const key of [...archived].sort()) {
    if (held.has(witnessKey(witness.stage, key))) {
      run.alreadyThere++;
      continue;
    }
    try {
      if (await copyOne(source, witness, key)) run.published.push(key);
      else run.alreadyThere++;
    } catch (error) {
      run.failures.push(`${key}: ${(error as Error).message}`);
    }
  }
  return run;
}

/**
 * An S3 client acting as the witness account's role. The credentials are
 * asked for once per client and renewed shortly before they expire.
 */
export function witnessClient(roleArn: string, sessionName: string, region?: string): S3Client {
  const sts = new STSClient(region ? { region } : {});
  let cached: { value: Promise<Credentials>; until: number } | undefined;
  const credentials = () => {
    if (cached === undefined || cached.until < Date.now() + 60_000) {
      const value = assume(sts, roleArn, sessionName);
      cached = { value, until: Date.now() + 15 * 60_000 };
    }
    return cached.value;
  };
  return new S3Client({
    ...(region ? { region } : {}),
    forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined,
    credentials,
  });
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

async function assume(sts: STSClient, roleArn: string, sessionName: string): Promise<Credentials> {
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 900 }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error(`assuming ${roleArn} returned no credentials`);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
