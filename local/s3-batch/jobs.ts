import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { putLegalHold } from './legal-hold';
import { readManifest } from './manifest';
import {
  ApiError,
  Job,
  JobFailedError,
  JobSpec,
  JobStatus,
  Task,
  TaskResult,
  TERMINAL,
} from './model';
import { reportRoot, writeReport } from './report';
import { describeS3Error } from './s3-errors';

export interface JobStoreOptions {
  /** Client for the S3 the tasks act on (moto, through AWS_ENDPOINT_URL). */
  readonly s3: S3Client;
  /** PutObjectLegalHold calls in flight per job. */
  readonly concurrency: number;
  /** One line per job status change, for the stand-in's log. */
  readonly log?: (line: string) => void;
}

/**
 * S3 Batch Operations fails a job once more than half of its tasks have
 * failed, counted after the first 1,000 tasks, instead of running the rest.
 */
const FAILURE_THRESHOLD_AFTER = 1000;

/** States before the tasks have all run; later ones are already ending. */
const CANCELLABLE: ReadonlySet<JobStatus> = new Set([
  'New',
  'Preparing',
  'Suspended',
  'Ready',
  'Active',
]);

/**
 * The jobs of every account, and the lifecycle S3 runs them through:
 * New → Preparing (read the manifest) → [Suspended until confirmed] → Ready →
 * Active (run the tasks) → Completing (write the report) → Complete, or
 * Failing/Failed and Cancelling/Cancelled. Held in memory: a restarted
 * stand-in knows no jobs.
 */
export class JobStore {
  private readonly jobs = new Map<string, Job>();
  /** Idempotency: `account/token` → the job that token created, and the request it carried. */
  private readonly tokens = new Map<string, { readonly id: string; readonly request: string }>();
  private readonly confirmations = new Map<Job, () => void>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: JobStoreOptions) {}

  /** The same token with the same request returns the first job; with another request it is refused. */
  create(accountId: string, spec: JobSpec): Job {
    const tokenKey = `${accountId}/${spec.clientRequestToken}`;
    const request = JSON.stringify(spec);
    const earlier = this.tokens.get(tokenKey);
    if (earlier?.request === request) return this.get(accountId, earlier.id);
    if (earlier)
      throw new ApiError(
        409,
        'IdempotencyException',
        `ClientRequestToken ${spec.clientRequestToken} was used for job ${earlier.id} with a different request`,
      );
    const job: Job = {
      id: randomUUID(),
      accountId,
      spec,
      created: new Date(),
      status: 'New',
      failures: [],
      total: 0,
      succeeded: 0,
      failed: 0,
    };
    this.jobs.set(`${accountId}/${job.id}`, job);
    this.tokens.set(tokenKey, { id: job.id, request });
    this.options.log?.(`job ${job.id} of ${accountId}: New (legal hold ${spec.legalHold})`);
    const run = this.run(job).finally(() => this.running.delete(run));
    this.running.add(run);
    return job;
  }

  get(accountId: string, jobId: string): Job {
    const job = this.jobs.get(`${accountId}/${jobId}`);
    if (!job) throw new ApiError(404, 'NotFoundException', `No such job: ${jobId}`);
    return job;
  }

  /** The account's jobs, newest first, optionally only those in `statuses`. */
  list(accountId: string, statuses: readonly JobStatus[]): Job[] {
    return [...this.jobs.values()]
      .filter((j) => j.accountId === accountId)
      .filter((j) => statuses.length === 0 || statuses.includes(j.status))
      .reverse();
  }

  /** UpdateJobStatus: confirm a Suspended job (Ready), or cancel one that has not ended. */
  updateStatus(
    accountId: string,
    jobId: string,
    requested: 'Ready' | 'Cancelled',
    reason?: string,
  ): Job {
    const job = this.get(accountId, jobId);
    const refuse = (what: string) =>
      new ApiError(400, 'JobStatusException', `Job ${jobId} is ${job.status}: ${what}`);
    if (requested === 'Ready') {
      if (job.status !== 'Suspended') throw refuse('only a Suspended job can be confirmed');
      this.move(job, 'Ready');
    } else if (!CANCELLABLE.has(job.status)) throw refuse('it can no longer be cancelled');
    else this.move(job, job.status === 'Active' ? 'Cancelling' : 'Cancelled');
    job.statusUpdateReason = reason ?? job.statusUpdateReason;
    this.confirmations.get(job)?.();
    return job;
  }

  /** Cancels jobs still waiting for confirmation and waits for every running job to end. */
  async close(): Promise<void> {
    for (const job of this.confirmations.keys()) this.move(job, 'Cancelled');
    for (const confirm of this.confirmations.values()) confirm();
    await Promise.all(this.running);
  }

  private move(job: Job, status: JobStatus): void {
    if (job.status === status) return;
    job.status = status;
    const now = new Date();
    if (status === 'Active') job.activeFrom = now;
    else if (job.activeFrom && !job.activeUntil) job.activeUntil = now;
    if (status === 'Suspended') job.suspended = { date: now, cause: 'AWAITING_CONFIRMATION' };
    if (TERMINAL.has(status)) job.terminated = now;
    const detail = job.failures.map((f) => ` ${f.code}: ${f.reason}`).join('');
    this.options.log?.(`job ${job.id} of ${job.accountId}: ${status}${detail}`);
  }

  private async run(job: Job): Promise<void> {
    try {
      this.move(job, 'Preparing');
      const tasks = await readManifest(this.options.s3, job.spec.manifest);
      job.total = tasks.length;
      if (job.spec.confirmationRequired && job.status === 'Preparing')
        await new Promise<void>((resolve) => {
          this.confirmations.set(job, resolve);
          this.move(job, 'Suspended');
        });
      this.confirmations.delete(job);
      if (TERMINAL.has(job.status)) return;
      this.move(job, 'Ready');
      this.move(job, 'Active');
      const results = await this.execute(job, tasks);
      const overThreshold = job.status === 'Active' && tooManyFailures(job);
      if (overThreshold)
        job.failures.push({
          code: 'TaskFailureThresholdExceeded',
          reason: `${job.failed} of the first ${job.succeeded + job.failed} tasks failed`,
        });
      const [ending, ended]: [JobStatus, JobStatus] =
        job.status === 'Cancelling'
          ? ['Cancelling', 'Cancelled']
          : overThreshold
            ? ['Failing', 'Failed']
            : ['Completing', 'Complete'];
      this.move(job, ending);
      if (results.length > 0) await this.report(job, results);
      this.move(job, ended);
    } catch (error) {
      const failure =
        error instanceof JobFailedError
          ? { code: error.code, reason: error.message }
          : { code: 'InternalError', reason: String(error) };
      job.failures.push(failure);
      this.move(job, 'Failed');
    }
  }

  /** Runs the tasks in manifest order, `concurrency` at a time, while the job stays Active. */
  private async execute(job: Job, tasks: readonly Task[]): Promise<TaskResult[]> {
    const results: TaskResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < tasks.length && job.status === 'Active' && !tooManyFailures(job)) {
        const index = next++;
        const result = await putLegalHold(this.options.s3, tasks[index]!, job.spec.legalHold);
        results[index] = result;
        if (result.succeeded) job.succeeded++;
        else job.failed++;
      }
    };
    const workers = Math.min(this.options.concurrency, tasks.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return results.filter((r) => r !== undefined);
  }

  /** S3 reports on every job in which at least one task ran, whether it completed or not. */
  private async report(job: Job, results: readonly TaskResult[]): Promise<void> {
    const { report } = job.spec;
    if (!report.enabled) return;
    try {
      await writeReport(this.options.s3, job, report, results);
    } catch (error) {
      const { errorCode, message } = describeS3Error(error);
      const where = `s3://${report.bucket}/${reportRoot(report, job.id)}`;
      throw new JobFailedError(
        'ReportWriteFailed',
        `Writing the completion report to ${where} failed: ${errorCode}: ${message}`,
      );
    }
  }
}

function tooManyFailures(job: Job): boolean {
  const done = job.succeeded + job.failed;
  return done >= FAILURE_THRESHOLD_AFTER && job.failed * 2 > done;
}
