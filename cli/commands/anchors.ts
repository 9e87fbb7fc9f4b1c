import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { stageRegion } from '../../core/config/stage-region';
import { awsPlacement, bucketName, prefixes, witnessAnchorPrefix } from '../../core/naming';
import { exportAnchors } from '../../core/sealing/anchor/export';
import { Command, ExitCode, UsageError, stageOption, textOptions } from '../command';

const usage = `usage: logvault anchors export --to DIR [--stage NAME] [--from-witness]
                               [--account ID] [--region R] [--bucket NAME]

Copies the stage's RFC 3161 anchors, byte for byte, into DIR/anchors/YYYY/MM/dd/HH.json:
what a scheduled CI job of the public anchor repository runs before committing
them (docs/trust.md, "Publication"). Never overwrites a file: one that differs
from the bucket's anchor is reported (exit 1), since the copy published first
is the one that proves something.

  --to            the target directory (a clone of the anchor repository, <stage>/)
  --from-witness  read the stage's witness bucket (anchoring.witness.bucket,
                  <stage>/anchors/) with the caller's credentials, e.g. a read-only
                  role of the witness account; default: the archive's anchors/
  --stage         stage name (default dev)
  --account       account id of the archive (default: the caller's, from STS)
  --bucket        the bucket to read instead of the stage's archive or witness

Exit codes: 0 copied (or nothing new), 1 a file differs, 2 bad usage, 3 AWS failure.`;

async function sourceOf(values: {
  stage: string;
  'from-witness'?: boolean;
  account?: string;
  region?: string;
  bucket?: string;
}): Promise<{ s3: S3Client; bucket: string; prefix: string }> {
  const config = loadStageConfig(values.stage);
  const region = stageRegion(config, { flag: values.region, env: process.env });
  const s3 = new S3Client({ region, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined });
  if (values['from-witness']) {
    const bucket = values.bucket ?? config.anchoring.witness?.bucket;
    if (bucket === undefined)
      throw new UsageError(
        `stage ${values.stage} has no anchoring.witness; give --bucket, or export from the archive`,
      );
    return { s3, bucket, prefix: witnessAnchorPrefix(values.stage) };
  }
  const account =
    values.account ??
    config.account ??
    (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!;
  return {
    s3,
    bucket:
      values.bucket ??
      bucketName(values.stage, 'subscriber-archive', awsPlacement(account, region)),
    prefix: prefixes.anchors,
  };
}

export const anchorsCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...textOptions('to', 'account', 'region', 'bucket'),
        ...stageOption,
        'from-witness': { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1 || positionals[0] !== 'export')
      throw new UsageError('give the action: logvault anchors export --to DIR');
    if (values.to === undefined) throw new UsageError('--to DIR is required');
    const source = await sourceOf(values);
    const run = await exportAnchors(source, values.to);
    for (const conflict of run.conflicts)
      process.stderr.write(
        `${conflict}: ${values.to} holds a different anchor of this hour; kept, not overwritten\n`,
      );
    console.log(
      `exported ${run.written.length} new anchor${run.written.length === 1 ? '' : 's'} from ` +
        `s3://${source.bucket}/${source.prefix} to ${values.to} ` +
        `(${run.unchanged} unchanged, ${run.conflicts.length} differing)`,
    );
    return run.conflicts.length === 0 ? ExitCode.ok : ExitCode.findings;
  },
};
