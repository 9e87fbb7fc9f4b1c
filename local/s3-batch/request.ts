import { z } from 'zod';
import { ApiError, JobSpec, ManifestField, ReportSpec } from './model';

/**
 * CreateJob's request body, validated the way S3 Control refuses bad jobs:
 * before any job exists, with a 400 InvalidRequest that lists every problem.
 * Anything outside the emulated subset is refused by name instead of being
 * silently ignored.
 */

const EMULATED_OPERATION = 'S3PutObjectLegalHold';
const MANIFEST_FORMAT = 'S3BatchOperations_CSV_20180820';
const REPORT_FORMAT = 'Report_CSV_20180820';

/** A missing element reads "X is required" instead of zod's type message. */
const required = (otherwise?: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : otherwise),
});
const text = (max: number) =>
  z.string(required()).min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const flag = z
  .enum(['true', 'false'], required('must be true or false'))
  .transform((v) => v === 'true');

const BucketArn = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
const ObjectArn = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

const Operation = z
  .record(z.string(), z.unknown(), required('must name one operation'))
  .superRefine((operation, ctx) => {
    const names = Object.keys(operation);
    if (names.length !== 1)
      ctx.addIssue({ code: 'custom', message: `must name one operation, not ${names.length}` });
    else if (names[0] !== EMULATED_OPERATION)
      ctx.addIssue({
        code: 'custom',
        message: `${names[0]} is not emulated by the local S3 Batch Operations stand-in (only ${EMULATED_OPERATION})`,
      });
    else if (!['ON', 'OFF'].includes(legalHoldOf(operation) ?? ''))
      ctx.addIssue({
        code: 'custom',
        path: [EMULATED_OPERATION, 'LegalHold', 'Status'],
        message: 'must be ON or OFF',
      });
  });

function legalHoldOf(operation: Record<string, unknown>): string | undefined {
  const hold = operation[EMULATED_OPERATION] as { LegalHold?: { Status?: unknown } } | undefined;
  const status = typeof hold === 'object' ? hold?.LegalHold?.Status : undefined;
  return typeof status === 'string' ? status : undefined;
}

const ManifestSpec = z
  .object(
    {
      Format: z.string(required()),
      Fields: z
        .object({
          member: z.array(
            z.enum(['Ignore', 'Bucket', 'Key', 'VersionId'], {
              error: 'must be Ignore, Bucket, Key or VersionId',
            }),
          ),
        })
        .optional(),
    },
    required(),
  )
  .superRefine((spec, ctx) => {
    if (spec.Format !== MANIFEST_FORMAT) {
      const message = `${spec.Format} is not emulated by the local stand-in (only ${MANIFEST_FORMAT})`;
      ctx.addIssue({ code: 'custom', path: ['Format'], message });
      return;
    }
    const fields = spec.Fields?.member ?? [];
    const count = (name: ManifestField) => fields.filter((f) => f === name).length;
    if (count('Bucket') !== 1 || count('Key') !== 1 || count('VersionId') > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['Fields'],
        message: 'must list Bucket and Key once each, and VersionId at most once',
      });
  });

const Report = z
  .object(
    {
      Enabled: flag,
      Bucket: z.string().regex(BucketArn, 'must be a bucket ARN, arn:aws:s3:::bucket').optional(),
      Format: z.literal(REPORT_FORMAT, { error: `must be ${REPORT_FORMAT}` }).optional(),
      Prefix: z.string().max(512, 'must be at most 512 characters').optional(),
      ReportScope: z
        .enum(['AllTasks', 'FailedTasksOnly'], { error: 'must be AllTasks or FailedTasksOnly' })
        .optional(),
    },
    required(),
  )
  .superRefine((report, ctx) => {
    for (const name of ['Bucket', 'Format'] as const)
      if (report.Enabled && !report[name])
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required for a report' });
  });

const CreateJobRequest = z.object({
  AccountId: z
    .string(required())
    .regex(/^\d{12}$/, 'must be a 12-digit account id (header x-amz-account-id)'),
  ConfirmationRequired: flag.optional(),
  Operation,
  Report,
  ClientRequestToken: text(64),
  Manifest: z.object(
    {
      Spec: ManifestSpec,
      Location: z.object(
        {
          ObjectArn: z
            .string(required())
            .regex(ObjectArn, 'must be an object ARN, arn:aws:s3:::bucket/key'),
          ETag: text(1024),
          ObjectVersionId: text(2000).optional(),
        },
        required(),
      ),
    },
    required(),
  ),
  ManifestGenerator: z
    .undefined({ error: 'is not emulated by the local stand-in: list the objects in a Manifest' })
    .optional(),
  Description: z.string().max(256, 'must be at most 256 characters').optional(),
  Priority: z
    .string(required())
    .regex(/^\d{1,10}$/, 'must be a whole number from 0 to 2147483647')
    .transform(Number)
    .refine((n) => n <= 2147483647, 'must be a whole number from 0 to 2147483647'),
  RoleArn: z
    .string(required())
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN'),
});
type CreateJobRequest = z.infer<typeof CreateJobRequest>;

function toSpec(request: CreateJobRequest): JobSpec {
  const { Manifest, Report } = request;
  const [, bucket, key] = ObjectArn.exec(Manifest.Location.ObjectArn)!;
  const report: ReportSpec = Report.Enabled
    ? {
        enabled: true,
        bucketArn: Report.Bucket!,
        bucket: BucketArn.exec(Report.Bucket!)![1]!,
        format: REPORT_FORMAT,
        prefix: Report.Prefix,
        scope: Report.ReportScope ?? 'AllTasks',
      }
    : { enabled: false };
  return {
    confirmationRequired: request.ConfirmationRequired ?? false,
    clientRequestToken: request.ClientRequestToken,
    description: request.Description,
    priority: request.Priority,
    roleArn: request.RoleArn,
    legalHold: legalHoldOf(request.Operation) as 'ON' | 'OFF',
    manifest: {
      format: MANIFEST_FORMAT,
      fields: Manifest.Spec.Fields!.member,
      objectArn: Manifest.Location.ObjectArn,
      bucket: bucket!,
      key: key!,
      etag: Manifest.Location.ETag,
      versionId: Manifest.Location.ObjectVersionId,
    },
    report,
  };
}

/** The job a CreateJob body asks for, or ApiError 400 InvalidRequest naming every problem. */
export function parseCreateJob(
  accountId: string | undefined,
  body: Record<string, unknown>,
): JobSpec {
  const parsed = CreateJobRequest.safeParse({ ...body, AccountId: accountId });
  if (parsed.success) return toSpec(parsed.data);
  const problems = parsed.error.issues.map(
    (i) => `${i.path.filter((p) => p !== 'member').join('.')} ${i.message}`,
  );
  throw new ApiError(400, 'InvalidRequest', problems.join('; '));
}
