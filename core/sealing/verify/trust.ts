import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { prefixes } from '../../naming';
import { objectPages } from '../../s3/pagers';
import { readObject } from '../../s3/objects';
import { parseKeyring } from '../anchor/keyring';
import { spkiFingerprint } from '../anchor/fingerprint';
import { TransitionCandidate, TrustedKey, resolveTrustedKeys } from '../anchor/trusted-keys';
import { loadTsaTrust } from '../anchor/tsa-trust';
import type { Finding } from './types';

export interface LoadedTrust {
  readonly keys: readonly TrustedKey[];
  /** Transitions that do not hold, as findings. */
  readonly findings: readonly Finding[];
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Transition records published beside the keyring and stored in the archive. */
async function transitionCandidates(
  s3: S3Client,
  archiveBucket: string,
  trustDir: string,
): Promise<TransitionCandidate[]> {
  const dir = join(trustDir, 'transitions');
  const published = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => ({
          source: join(dir, name),
          record: parseOrText(readFileSync(join(dir, name), 'utf8')),
        }))
    : [];
  const stored: TransitionCandidate[] = [];
  for await (const page of objectPages(s3, archiveBucket, prefixes.keyTransitions))
    for (const o of page.Contents ?? []) {
      const object = await readObject(s3, archiveBucket, o.Key!);
      if (object)
        stored.push({
          source: `s3://${archiveBucket}/${o.Key}`,
          record: parseOrText(Buffer.from(object.body).toString('utf8')),
        });
    }
  return [...published, ...stored];
}

/**
 * The keys `logvault verify` accepts: `<trustDir>/digest-keys.json` (the
 * published keyring of the stage), extended only by transitions that hold
 * (checked against the pinned TSAs of `tsaDir`). Throws KeyringError or
 * TsaTrustError naming the field at fault when the trust files are wrong.
 */
export async function loadTrust(options: {
  s3: S3Client;
  archiveBucket: string;
  stage: string;
  trustDir: string;
  tsaDir: string;
}): Promise<LoadedTrust> {
  const path = join(options.trustDir, 'digest-keys.json');
  const keyring = parseKeyring(readFileSync(path, 'utf8'), path, options.stage);
  const candidates = await transitionCandidates(
    options.s3,
    options.archiveBucket,
    options.trustDir,
  );
  if (candidates.length === 0)
    return { keys: keyring.keys.map((k) => ({ ...k, via: 'keyring' })), findings: [] };
  const resolved = await resolveTrustedKeys(keyring, candidates, {
    tsa: loadTsaTrust(options.tsaDir),
    archiveBucket: options.archiveBucket,
  });
  const findings = resolved.rejected.map((r) => ({
    kind: 'rejected-transition' as const,
    key: r.source,
    detail: `${r.reason}: ${r.detail}`,
  }));
  return { keys: resolved.keys, findings };
}

/** One key given on the command line (`--public-key`): it replaces the keyring, for every hour. */
export function overrideKey(publicKey: KeyObject, source: string): TrustedKey {
  return {
    fingerprint: spkiFingerprint(publicKey),
    publicKey,
    notBefore: new Date(0),
    via: source,
  };
}
