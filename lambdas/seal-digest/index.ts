import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { lockOf } from '../../core/env/sealing';
import { anchorHead } from '../../core/sealing/anchor/anchor-head';
import { TSA_TRUST_FILE, loadTsaTrust } from '../../core/sealing/anchor/tsa-trust';
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
  if (head === undefined) return 0;
  const run = await anchorHead(
    {
      s3,
      archiveBucket: env.ARCHIVE_BUCKET,
      stage: env.LOGVAULT_STAGE,
      lock: lockOf(env),
      tsa: loadTsaTrust(tsaTrustDir(env.TSA_TRUST_DIR)),
    },
    head,
  );
  for (const failure of run.failures) logger.warn('TSA failed', { failure });
  if (run.key === undefined) logger.error('chain head not anchored', { head: head.key });
  else logger.info('chain head anchored', { anchor: run.key, tsas: run.record!.tokens.length });
  return run.key === undefined ? 1 : 0;
}

/**
 * Hourly, a quarter past: writes the signed digest of the last complete hour,
 * linked to the last good digest, and anchors it with the pinned TSAs.
 * Whatever it finds missing, deleted, written over or unsigned is recorded in
 * that digest as a break and counted in DigestChainBreaks (alarmed): never
 * healed. A signing key the bundled keyring does not publish signs nothing
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
    ]);
  } catch (error) {
    if (!(error instanceof UnpublishedKeyError)) throw error;
    publishMetrics(env.LOGVAULT_STAGE, [{ metric: 'digestSigningRefused', value: 1 }]);
    logger.error('digest signing refused', { reason: error.message });
  }
};
