import { KMSClient } from '@aws-sdk/client-kms';
import { lockDays } from '../../../core/config/stage-config';
import { digestSigningKeyAlias, prefixes } from '../../../core/naming';
import { writeDigests } from '../../../core/sealing/digest';
import { hourOf } from '../../../core/sealing/keys';
import { sealPending } from '../../../core/sealing/seal';
import { KmsSigner, kmsPublicKey } from '../../../core/sealing/signer';
import { verifyArchive } from '../../../core/sealing/verify';
import { SCENARIO_REGION, ScenarioContext } from '../context';

/** Step 3: landing sealed into the locked archive, the hour digested and signed, the chain verified. */
export async function sealAndVerify(ctx: ScenarioContext): Promise<string> {
  const { s3 } = ctx.clients;
  const archiveBucket = ctx.bucket('subscriber-archive');
  const lock = { mode: ctx.config.subscriber.lock.mode, days: lockDays(ctx.config) };
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
  const digests = await writeDigests(
    { s3, archiveBucket, signer: new KmsSigner(kms, keyId), lock, scanDays },
    { through, genesis: through },
  );
  const publicKey = await kmsPublicKey(kms, keyId);
  const report = await verifyArchive(
    { s3, archiveBucket, publicKey, scanDays },
    { from: through, to: through },
  );
  ctx.check(
    `verify finds the ${sealed.outcomes.length} sealed objects intact`,
    report.findings.length === 0 && report.objects === sealed.outcomes.length,
  );
  ctx.facts.sealed = sealed.outcomes.length;
  return `${sealed.outcomes.length} objects sealed (${lock.mode}, ${lock.days} d), ${digests.length} digest(s) signed, verify: no findings`;
}
