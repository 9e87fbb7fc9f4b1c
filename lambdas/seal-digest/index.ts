import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { lockOf } from '../../core/env/sealing';
import { functionName } from '../../core/naming';
import { anchorHead } from '../../core/sealing/anchor/anchor-head';
import { TSA_TRUST_FILE, loadTsaTrust, selectTsas } from '../../core/sealing/anchor/tsa-trust';
import { publishAnchors, witnessClient } from '../../core/sealing/anchor/witness';
import { addHours, hourOf } from '../../core/time/hours';
import { NewHead, UnpublishedKeyError, writeDigests } from '../../core/sealing/digest';
import { KmsSigner } from '../../core/sealing/signer';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

const s3 = new S3Client({});
const kms = new KMSClient({});
type Environment = ReturnType<typeof environmentOf<'seal-digest'>>;

/** The pinned TSA list: beside the bundled handler in Lambda, at the repository root from source. */
function tsaTrustDir(path: string): string {
  if (isAbsolute(path)) return path;
  const candidates = [join(__dirname, path), join(__dirname, '..', '..', path)];
  return candidates.find((dir) => existsSync(join(dir, TSA_TRUST_FILE))) ?? candidates[0]!;
}

/** Timestamps the new head; 1 when no TSA gave a token that verifies (the AnchorFailures alarm). */
async function anchor(env: Environment, head: NewHead | undefined): Promise<number> {
  // A stage that asks no TSA is not anchored (anchoring.tsas is empty), and verify expects no anchors.
  if (head === undefined || env.TSA_NAMES.length === 0) return 0;
  const tsa = selectTsas(loadTsaTrust(tsaTrustDir(env.TSA_TRUST_DIR)), env.TSA_NAMES);
  for (const name of env.TSA_NAMES.filter((n) => !tsa.tsas.some((t) => t.name === n)))
    logger.warn('TSA failed', { failure: `${name}: not in the pinned list ${env.TSA_TRUST_DIR}` });
  const run = await anchorHead(
    {
      s3,
      archiveBucket: env.ARCHIVE_BUCKET,
      stage: env.LOGVAULT_STAGE,
      lock: lockOf(env),
      tsa,
    },
    head,
  );
  for (const failure of run.failures) logger.warn('TSA failed', { failure });
  if (run.key === undefined) logger.error('chain head not anchored', { head: head.key });
  else logger.info('chain head anchored', { anchor: run.key, tsas: run.record!.tokens.length });
  return run.key === undefined ? 1 : 0;
}

/** How far back each run makes sure the witness holds every archive anchor. */
const PUBLICATION_CATCH_UP_HOURS = 48;

/**
 * Copies the archive's anchors the witness account lacks (this hour's and
 * any a failed run left behind); the number it could not copy, for the
 * AnchorPublicationFailures alarm. No witness configured: nothing to report.
 */
async function publish(
  env: Environment,
): Promise<{ metric: 'anchorPublicationFailures'; value: number }[]> {
  if (env.WITNESS_ROLE_ARN === undefined || env.WITNESS_BUCKET === undefined) return [];
  let failed: number;
  try {
    const run = await publishAnchors(
      { s3, bucket: env.ARCHIVE_BUCKET },
      {
        s3: witnessClient(env.WITNESS_ROLE_ARN, functionName(env.LOGVAULT_STAGE, 'seal-digest')),
        bucket: env.WITNESS_BUCKET,
        stage: env.LOGVAULT_STAGE,
      },
      addHours(hourOf(new Date()), -PUBLICATION_CATCH_UP_HOURS),
    );
    for (const failure of run.failures) logger.error('anchor not published', { failure });
    logger.info('anchors published', { published: run.published, alreadyThere: run.alreadyThere });
    failed = run.failures.length;
  } catch (error) {
    logger.error('anchor publication failed', { reason: (error as Error).message });
    failed = 1;
  }
  return [{ metric: 'anchorPublicationFailures', value: failed }];
}

/**
 * Hourly, a quarter past: writes the signed digest of the last complete hour,
 * linked to the last good digest, and anchors it with the pinned TSAs.
 * Whatever it finds missing, deleted, written over or unsigned is recorded in
 * that digest as a break and counted in DigestChainBreaks (alarmed): never
 * healed. Then it copies new anchors to the witness account, when the stage
 * has one. A signing key the bundled keyring does not publish signs nothing
 * and counts in DigestSigningRefused (alarmed); retrying cannot help, so it returns.
 */
export const handler = async (): Promise<void> => {
  const env = environmentOf('seal-digest');
  logger.setCorrelationId(new Date().toISOString());
  try {
    const { written, breaks, head, quarantined } = await writeDigests({
      s3,
      archiveBucket: env.ARCHIVE_BUCKET,
      signer: new KmsSigner(kms, env.DIGEST_KEY_ID),
      keyring: env.DIGEST_KEYRING,
      lock: lockOf(env),
      scanDays: env.SCAN_DAYS,
    });
    for (const b of breaks) logger.error('digest chain break', b);
    for (const q of quarantined) logger.error('quarantined object digested', { ...q });
    logger.info('digests written', { digests: written, breaks: breaks.length });
    publishMetrics(env.LOGVAULT_STAGE, [
      { metric: 'digestChainBreaks', value: breaks.length },
      { metric: 'digestSigningRefused', value: 0 },
      { metric: 'anchorFailures', value: await anchor(env, head) },
      { metric: 'quarantinedObjects', value: quarantined.length },
      ...(await publish(env)),
    ]);
  } catch (error) {
    if (!(error instanceof UnpublishedKeyError)) throw error;
    publishMetrics(env.LOGVAULT_STAGE, [{ metric: 'digestSigningRefused', value: 1 }]);
    logger.error('digest signing refused', { reason: error.message });
  }
};
