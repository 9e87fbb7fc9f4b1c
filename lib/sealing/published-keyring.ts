import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYRING_FORMAT, keyringVariable } from '../../core/env/sealing';

/**
 * Lambda caps a function's whole environment at 4 KB; the keyring may use
 * most of it (a P-256 entry is about 450 bytes, so six keys fit).
 */
const KEYRING_MAX_BYTES = 3072;

/** The repository's `trust/`: keys published outside the account, reviewed by pull request. */
const TRUST_DIR = join(__dirname, '..', '..', 'trust');

/**
 * The stage's published keyring, `trust/<stage>/digest-keys.json`, checked as
 * the digest function will parse it and compacted for its environment.
 * Synth fails on a keyring the function would refuse, naming every problem;
 * a stage with no file gets an empty keyring (nothing signs until a key is published).
 */
export function publishedKeyring(stage: string, trustDir = TRUST_DIR): string {
  const path = join(trustDir, stage, 'digest-keys.json');
  // A stage that has published nothing gets an empty keyring: its function signs nothing (and alarms).
  const text = existsSync(path)
    ? readFileSync(path, 'utf8')
    : JSON.stringify({ format: KEYRING_FORMAT, stage, keys: [] });
  const parsed = keyringVariable.safeParse(text);
  if (!parsed.success)
    throw new Error(`${path}:\n  - ${parsed.error.issues.map((i) => i.message).join('\n  - ')}`);
  if (parsed.data.stage !== stage)
    throw new Error(`${path}: stage is ${parsed.data.stage}, expected ${stage}`);
  const compact = JSON.stringify(JSON.parse(text));
  if (Buffer.byteLength(compact) > KEYRING_MAX_BYTES)
    throw new Error(
      `${path} is ${Buffer.byteLength(compact)} bytes compacted, over the ${KEYRING_MAX_BYTES} the digest ` +
        `function's environment allows; drop keys retired before the oldest digest still chained to`,
    );
  return compact;
}
