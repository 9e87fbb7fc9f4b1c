import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { stageRegion } from '../../core/config/stage-region';
import { awsPlacement, bucketName, digestSigningKeyAlias } from '../../core/naming';
import { digestKey, lastDueHour } from '../../core/sealing/keys';
import { addHours, hourOf } from '../../core/time/hours';
import { HOUR_MS } from '../../core/time/units';
import { readObject } from '../../core/s3/objects';
import { kmsPublicKey } from '../../core/sealing/signer';
import { spkiFingerprint } from '../../core/sealing/anchor/fingerprint';
import { KeyringError } from '../../core/sealing/anchor/keyring';
import { TrustedKey } from '../../core/sealing/anchor/trusted-keys';
import { TsaTrustError, loadTsaTrust } from '../../core/sealing/anchor/tsa-trust';
import { readAnchorFiles } from '../../core/sealing/anchor/anchor-files';
import { AnchorOptions } from '../../core/sealing/verify/types';
import { archiveAnchors, witnessAnchors } from '../../core/sealing/verify/anchors';
import type { AnchorCandidate } from '../../core/sealing/anchor/check-anchors';
import type { StageConfig } from '../../core/config/stage-config';
import { VerifyReport, verifyArchive } from '../../core/sealing/verify';
import { stageLockPolicy } from '../../core/sealing/lock-policy';
import { LoadedTrust, loadTrust, overrideKey } from '../../core/sealing/verify/trust';
import { Command, ExitCode, UsageError, asUsage, stageOption, textOptions } from '../command';
import { renderTable } from '../../core/format/table';

const usage = `usage: logvault verify --from DATE --to DATE [--stage NAME] [--account ID] [--region R]
                       [--bucket NAME] [--trust-dir DIR] [--tsa-dir DIR]
                       [--public-key FILE] [--anchor-dir DIR | --no-anchors] [--json]

Walks the signed hourly digest chain of the subscriber archive and checks every
archived object it lists, and the chain against its RFC 3161 anchors. Lists every
version in the whole archive, whatever the range, and reports each that no digest
accounts for (versions newer than the last due digest are counted as pending). Reads only.
Trust comes from keys and TSA roots published outside the account, never from the
account's KMS alias (compared, as a warning only).

  --from, --to   UTC day YYYY-MM-DD (whole day) or hour YYYY-MM-DDTHH, inclusive;
                 hours whose digest is not due yet (the last ~75 minutes) are skipped
  --stage        stage name (default dev): bucket name, lock, scan window, anchoring
  --account      account id (default: the caller's, from STS)
  --bucket       archive bucket (default: logvault-<stage>-<account>-<region>-subscriber-archive)
  --trust-dir    the stage's published keyring and transitions (default: trust/<stage>
                 of this repository: digest-keys.json, transitions/*.json)
  --tsa-dir      pinned TSA roots for anchors and transitions (default: trust/tsa)
  --public-key   PEM file: trust this one key instead of the keyring, for every hour
  --anchor-dir   a clone of the public anchor repository (DIR/anchors/YYYY/MM/dd/HH.json),
                 checked with the archive's anchors and the stage's witness bucket
  --no-anchors   skip the anchor check (reported as skipped); by default every anchor
                 verify can reach is checked
  --anchors      accepted for old scripts: anchors are checked by default
  --json         print the report as JSON

Findings: missing-digest, broken-link, bad-signature, unknown-key, key-not-valid,
chain-break, rejected-transition, missing-object, altered-object,
retention-shortened, unaccounted-object, short-lock, anchor-invalid, anchor-mismatch,
anchor-missing-digest, late-anchor, unanchored-hours (only when the stage asks a TSA
and digests older than its anchoring.maxDelayHours have no anchor).
Exit codes: 0 chain and objects intact, 1 findings, 2 bad usage, 3 AWS failure.`;

/** Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH` (UTC) into the first and last hour it names. */
export function parseHourRange(value: string, name: string): { first: Date; last: Date } {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}))?$/.exec(value);
  const first = m
    ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] === undefined ? 0 : +m[4]))
    : undefined;
  if (!m || !first || Number.isNaN(first.getTime()) || first.getUTCDate() !== +m[3])
    throw new UsageError(`--${name} must be a UTC day YYYY-MM-DD or hour YYYY-MM-DDTHH`);
  return { first, last: m[4] === undefined ? addHours(first, 23) : first };
}

export { lastDueHour };

export function renderVerify(report: VerifyReport, seconds: number): string {
  const mib = (bytes: number) => (bytes / 1048576).toFixed(2);
  const summary =
    `${accountingLine(report)}\n` +
    `verified ${report.digests} digests (${mib(report.digestBytes)} MiB) and ${report.objects} objects ` +
    `(${mib(report.objectBytes)} MiB) of s3://${report.bucket} from ${report.chainStart ?? report.from} ` +
    `${report.chainStart ? '(start of the chain) ' : ''}to ${report.to} in ${seconds.toFixed(1)} s: ` +
    (report.findings.length === 0
      ? 'no findings'
      : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`);
  if (report.findings.length === 0) return summary;
  return [
    renderTable(
      ['FINDING', 'KEY', 'VERSION', 'DETAIL'],
      report.findings.map((f) => [f.kind, f.key, f.versionId, f.detail]),
    ),
    '',
    summary,
  ].join('\n');
}

/** How the whole-archive listing was accounted for; pending versions are no finding. */
function accountingLine(report: VerifyReport): string {
  const newest = report.pending
    .map((p) => p.written)
    .sort()
    .at(-1);
  return (
    `listed ${report.listed} archived versions (the whole bucket): ${report.outsideRange} outside the range ` +
    `under keys their hour's digest lists, ${report.pending.length} pending a digest not due yet` +
    (newest ? ` (newest written ${newest})` : '')
  );
}

const repositoryTrust = join(__dirname, '../../trust');

/** The keys to trust: `--public-key` alone, or the published keyring and its transitions. */
async function trustOf(
  values: { stage: string; 'public-key'?: string; 'trust-dir'?: string; 'tsa-dir'?: string },
  s3: S3Client,
  archiveBucket: string,
): Promise<LoadedTrust> {
  const pemFile = values['public-key'];
  if (pemFile !== undefined) {
    const key = asUsage(() => {
      try {
        return createPublicKey(readFileSync(pemFile));
      } catch (error) {
        throw new Error(
          `--public-key ${pemFile}: not a PEM public key (${(error as Error).message})`,
          { cause: error },
        );
      }
    });
    return { keys: [overrideKey(key, pemFile)], findings: [] };
  }
  try {
    return await loadTrust({
      s3,
      archiveBucket,
      stage: values.stage,
      trustDir: values['trust-dir'] ?? join(repositoryTrust, values.stage),
      tsaDir: values['tsa-dir'] ?? join(repositoryTrust, 'tsa'),
    });
  } catch (error) {
    if (error instanceof KeyringError || error instanceof TsaTrustError)
      throw new UsageError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(
        `${(error as Error).message}: give --trust-dir DIR with digest-keys.json`,
      );
    throw error;
  }
}

/** Which anchors verify read, or why it read none: printed with the report. */
export type AnchorSummary =
  | { readonly checked: false; readonly reason: string }
  | { readonly checked: true; readonly sources: Readonly<Record<string, number>> };

/**
 * The anchors of the archive, `--anchor-dir` and the stage's witness bucket,
 * and the TSA roots to check them; none with `--no-anchors`.
 */
async function anchorsOf(
  values: { stage: string; 'no-anchors'?: boolean; 'anchor-dir'?: string; 'tsa-dir'?: string },
  config: StageConfig,
  s3: S3Client,
  archiveBucket: string,
): Promise<{ options?: AnchorOptions; summary: AnchorSummary }> {
  if (values['no-anchors']) {
    if (values['anchor-dir'] !== undefined)
      throw new UsageError('--anchor-dir and --no-anchors exclude each other');
    return { summary: { checked: false, reason: 'skipped (--no-anchors)' } };
  }
  const tsa = asUsage(() => loadTsaTrust(values['tsa-dir'] ?? join(repositoryTrust, 'tsa')));
  const sources: Record<string, AnchorCandidate[]> = {
    archive: await archiveAnchors(s3, archiveBucket),
  };
  if (values['anchor-dir'] !== undefined)
    sources['anchor-dir'] = await readAnchorFiles(values['anchor-dir']);
  const witness = config.anchoring.witness;
  if (witness !== undefined)
    try {
      sources.witness = await witnessAnchors(s3, witness.bucket, values.stage);
    } catch (error) {
      process.stderr.write(
        `warning: could not read the witness bucket ${witness.bucket}: ${(error as Error).message}; ` +
          'give --anchor-dir with a copy of the published anchors\n',
      );
    }
  return {
    options: {
      candidates: Object.values(sources).flat(),
      tsa,
      stage: values.stage,
      expected: config.anchoring.tsas.length > 0,
      maxDelayHours: config.anchoring.maxDelayHours,
    },
    summary: {
      checked: true,
      sources: Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, v.length])),
    },
  };
}

/** The anchor line of the text report. */
export function renderAnchorSummary(summary: AnchorSummary): string {
  if (!summary.checked) return `anchors: ${summary.reason}`;
  const parts = Object.entries(summary.sources).map(([source, n]) => `${n} from ${source}`);
  return `anchors: checked ${parts.join(', ')}`;
}

/** The account's alias only informs: a key it names that no one published is worth a warning. */
async function warnAboutAlias(kms: KMSClient, stage: string, keys: readonly TrustedKey[]) {
  const alias = digestSigningKeyAlias(stage);
  try {
    const fingerprint = spkiFingerprint(await kmsPublicKey(kms, alias));
    if (!keys.some((k) => k.fingerprint === fingerprint))
      process.stderr.write(
        `warning: ${alias} points at key ${fingerprint}, which is not trusted; digests it signs will not verify\n`,
      );
  } catch (error) {
    process.stderr.write(`warning: could not compare ${alias}: ${(error as Error).message}\n`);
  }
}

/** The end of the range: hours not due yet are checked only if their digest already exists. */
async function lastHourToCheck(
  s3: S3Client,
  bucket: string,
  from: Date,
  requestedTo: Date,
): Promise<Date> {
  let to = requestedTo;
  const due = lastDueHour(new Date());
  if (to > due) {
    to = due;
    for (let h = hourOf(new Date()); h > due && h <= requestedTo; h = addHours(h, -1))
      if (await readObject(s3, bucket, digestKey(h))) {
        to = h;
        break;
      }
  }
  if (to < from)
    throw new UsageError(
      `no digest is due yet in that range (the last due hour is ${due.toISOString()})`,
    );
  return to;
}

export const verifyCommand: Command = {
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        ...textOptions(
          'from',
          'to',
          'account',
          'region',
          'bucket',
          'public-key',
          'trust-dir',
          'tsa-dir',
          'anchor-dir',
        ),
        ...stageOption,
        json: { type: 'boolean', default: false },
        anchors: { type: 'boolean', default: false },
        'no-anchors': { type: 'boolean', default: false },
      },
    });
    if (values.from === undefined || values.to === undefined)
      throw new UsageError('--from and --to are required');
    const from = parseHourRange(values.from, 'from').first;
    const requestedTo = parseHourRange(values.to, 'to').last;
    if (requestedTo < from) throw new UsageError('--to is before --from');
    const config = loadStageConfig(values.stage);
    const region = stageRegion(config, { flag: values.region, env: process.env });
    const s3 = new S3Client({ region, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined });
    const bucket =
      values.bucket ??
      bucketName(
        values.stage,
        'subscriber-archive',
        awsPlacement(
          values.account ??
            config.account ??
            (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!,
          region,
        ),
      );
    const trust = await trustOf(values, s3, bucket);
    if (values.anchors && values['no-anchors'])
      throw new UsageError('--anchors and --no-anchors exclude each other');
    const anchors = await anchorsOf(values, config, s3, bucket);
    await warnAboutAlias(new KMSClient({ region }), values.stage, trust.keys);

    const to = await lastHourToCheck(s3, bucket, from, requestedTo);
    const tty = process.stderr.isTTY && !values.json;
    const started = Date.now();
    const report = await verifyArchive(
      {
        s3,
        archiveBucket: bucket,
        trustedKeys: trust.keys,
        trustFindings: trust.findings,
        scanDays: config.subscriber.landingExpiryDays + 1,
        lock: stageLockPolicy(config),
        anchors: anchors.options,
        onProgress: tty
          ? (phase, done, total) => {
              if (done === total || done % 50 === 0)
                process.stderr.write(`\rverifying ${phase}: ${done}/${total}   `);
            }
          : undefined,
      },
      { from, to },
    );
    if (tty) process.stderr.write('\r\x1b[K');
    const hours = (to.getTime() - from.getTime()) / HOUR_MS + 1;
    console.log(
      values.json
        ? JSON.stringify({ ...report, hours, anchors: anchors.summary }, null, 2)
        : `${renderVerify(report, (Date.now() - started) / 1000)}\n${renderAnchorSummary(anchors.summary)}`,
    );
    return report.findings.length === 0 ? ExitCode.ok : ExitCode.findings;
  },
};
