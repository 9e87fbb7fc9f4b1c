import { readFileSync } from 'node:fs';
import { createPublicKey, KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { awsPlacement, bucketName, digestSigningKeyAlias } from '../../core/naming';
import { DIGEST_AT_MINUTE, digestKey } from '../../core/sealing/keys';
import { addHours, hourOf } from '../../core/time/hours';
import { HOUR_MS, MINUTE_MS } from '../../core/time/units';
import { readObject } from '../../core/s3/objects';
import { kmsPublicKey } from '../../core/sealing/signer';
import { VerifyReport, verifyArchive } from '../../core/sealing/verify';
import { Command, ExitCode, UsageError, stageOption, textOptions } from '../command';
import { renderTable } from '../../core/format/table';

const usage = `usage: logvault verify --from DATE --to DATE [--stage NAME] [--account ID] [--region R]
                       [--bucket NAME] [--public-key FILE] [--json]

Walks the signed hourly digest chain of the subscriber archive and checks every
archived object it lists. Reads only; needs the public key, never the signing key.

  --from, --to   UTC day YYYY-MM-DD (whole day) or hour YYYY-MM-DDTHH, inclusive;
                 hours whose digest is not due yet (the last ~75 minutes) are skipped
  --stage        stage name (default dev): bucket name, lock and scan window
  --account      account id (default: the caller's, from STS)
  --bucket       archive bucket (default: logvault-<stage>-<account>-<region>-subscriber-archive)
  --public-key   PEM file with the digest public key (default: fetched from KMS,
                 ${digestSigningKeyAlias('<stage>')})
  --json         print the report as JSON

Findings: missing-digest, broken-link, bad-signature, missing-object,
altered-object, retention-shortened, undigested-object.
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

/** The last hour whose digest must exist at `now`: the digest of hour H is written at H+1:15. */
export function lastDueHour(now: Date): Date {
  return addHours(hourOf(new Date(now.getTime() - DIGEST_AT_MINUTE * MINUTE_MS)), -1);
}

export function renderVerify(report: VerifyReport, seconds: number): string {
  const mib = (bytes: number) => (bytes / 1048576).toFixed(2);
  const summary =
    `verified ${report.digests} digests (${mib(report.digestBytes)} MiB) and ${report.objects} objects ` +
    `(${mib(report.objectBytes)} MiB) of s3://${report.bucket} from ${report.chainStart ?? report.from} ` +
    `${report.chainStart ? '(start of the chain) ' : ''}to ${report.to} in ${seconds.toFixed(1)} s: ` +
    (report.findings.length === 0 ? 'no findings' : `${report.findings.length} findings`);
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

export const verifyCommand: Command = {
  name: 'verify',
  summary:
    'walk the signed digest chain of the subscriber archive and report any loss or alteration',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        ...textOptions('from', 'to', 'account', 'region', 'bucket', 'public-key'),
        ...stageOption,
        json: { type: 'boolean', default: false },
      },
    });
    if (values.from === undefined || values.to === undefined)
      throw new UsageError('--from and --to are required');
    const from = parseHourRange(values.from, 'from').first;
    const requestedTo = parseHourRange(values.to, 'to').last;
    if (requestedTo < from) throw new UsageError('--to is before --from');
    const config = loadStageConfig(values.stage);
    const region = values.region ?? process.env.AWS_REGION ?? config.region;
    const s3 = new S3Client({ region, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined });
    const bucket =
      values.bucket ??
      bucketName(
        values.stage,
        'subscriber-archive',
        awsPlacement(
          values.account ??
            (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!,
          region,
        ),
      );
    const publicKey: KeyObject = values['public-key']
      ? createPublicKey(readFileSync(values['public-key']))
      : await kmsPublicKey(new KMSClient({ region }), digestSigningKeyAlias(values.stage));

    // Hours not due yet are checked only if their digest already exists.
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

    const tty = process.stderr.isTTY && !values.json;
    const started = Date.now();
    const report = await verifyArchive(
      {
        s3,
        archiveBucket: bucket,
        publicKey,
        scanDays: config.subscriber.landingExpiryDays + 1,
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
        ? JSON.stringify({ ...report, hours }, null, 2)
        : renderVerify(report, (Date.now() - started) / 1000),
    );
    return report.findings.length === 0 ? ExitCode.ok : ExitCode.findings;
  },
};
