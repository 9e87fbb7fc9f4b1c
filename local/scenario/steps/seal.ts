import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { spkiFingerprint } from '../../../core/sealing/anchor/fingerprint';
import {
  DIGEST_KEY_ALGORITHM,
  KEYRING_FORMAT,
  parseKeyring,
} from '../../../core/sealing/anchor/keyring';
import { loadTrust } from '../../../core/sealing/verify/trust';
import { stageLockPolicy } from '../../../core/sealing/lock-policy';
import { digestSigningKeyAlias, prefixes } from '../../../core/naming';
import { writeDigests } from '../../../core/sealing/digest';
import { hourOf } from '../../../core/sealing/keys';
import { sealPending } from '../../../core/sealing/seal';
import { KmsSigner } from '../../../core/sealing/signer';
import { verifyArchive } from '../../../core/sealing/verify';
import { SCENARIO_REGION, ScenarioContext } from '../context';

/** Step 3: landing sealed into the locked archive, the hour digested and signed, the chain verified. */
export async function sealAndVerify(ctx: ScenarioContext): Promise<string> {
  const { s3 } = ctx.clients;
  const archiveBucket = ctx.bucket('subscriber-archive');
  const lock = stageLockPolicy(ctx.config);
  const sealed = await sealPending({
    s3,
    landingBucket: ctx.bucket('subscriber-landing'),
    archiveBucket,
    lock,
  });
  ctx.check(
    'every landing object sealed without failure',
    sealed.failures.length === 0 && sealed.outcomes.length > 0,
  );
  ctx.check(
    'landing is empty after sealing',
    (await ctx.countObjects(ctx.bucket('subscriber-landing'), prefixes.acme)) === 0,
  );
  const kms = new KMSClient({ region: SCENARIO_REGION });
  const keyId = digestSigningKeyAlias(ctx.options.stage);
  const scanDays = ctx.config.subscriber.landingExpiryDays + 1;
  const through = hourOf(new Date());
  const signer = new KmsSigner(kms, keyId);
  const trustDir = await publishKeyring(ctx, signer);
  // Bundled into the digest function as in the deployed one: it signs only with a published key.
  const keyringPath = join(trustDir, 'digest-keys.json');
  const keyring = parseKeyring(readFileSync(keyringPath, 'utf8'), keyringPath, ctx.options.stage);
  const { written: digests } = await writeDigests(
    { s3, archiveBucket, signer, keyring, lock, scanDays },
    { through, genesis: through },
  );
  // Verify trusts the keyring published outside the account, as `logvault verify --trust-dir` does.
  const trust = await loadTrust({
    s3,
    archiveBucket,
    stage: ctx.options.stage,
    trustDir,
    tsaDir: trustDir,
  });
  const report = await verifyArchive(
    { s3, archiveBucket, trustedKeys: trust.keys, scanDays },
    { from: through, to: through },
  );
  ctx.check(
    `verify finds the ${sealed.outcomes.length} sealed objects intact`,
    report.findings.length === 0 && report.objects === sealed.outcomes.length,
  );
  ctx.facts.sealed = sealed.outcomes.length;
  return `${sealed.outcomes.length} objects sealed (${lock.mode}, ${lock.days} d), ${digests.length} digest(s) signed, verify: no findings`;
}

/**
 * What a maintainer does once per stage: publish the stand-in's digest key
 * (from kms:GetPublicKey) as the stage's keyring, in the scenario's work
 * directory, standing in for trust/<stage>/ of the repository.
 */
async function publishKeyring(ctx: ScenarioContext, signer: KmsSigner): Promise<string> {
  const publicKey = await signer.publicKey();
  const dir = join(ctx.work, 'trust', ctx.options.stage);
  mkdirSync(dir, { recursive: true });
  const keyring = {
    format: KEYRING_FORMAT,
    stage: ctx.options.stage,
    keys: [
      {
        fingerprint: spkiFingerprint(publicKey),
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        algorithm: DIGEST_KEY_ALGORITHM,
        kmsKeyArn: signer.keyId,
        notBefore: new Date(0).toISOString(),
        notAfter: null,
        publishedBy: {
          name: 'scenario',
          role: 'stand-in maintainer',
          date: new Date().toISOString().slice(0, 10),
          reference: 'local/scenario/steps/seal.ts',
        },
      },
    ],
  };
  writeFileSync(join(dir, 'digest-keys.json'), `${JSON.stringify(keyring, null, 2)}\n`);
  return dir;
}
