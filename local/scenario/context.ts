import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { objectPages } from '../../core/s3/pagers';
import type { StageConfig } from '../../core/config/stage-config';
import { BucketPurpose, awsPlacement, bucketName } from '../../core/naming';
import type { AwsClients } from '../aws-clients';

const run = promisify(execFile);

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');

/** The account id every local resource name is derived with. */
export const SCENARIO_ACCOUNT = '123456789012';
export const SCENARIO_REGION = 'us-east-1';

export interface ScenarioOptions {
  /** Cloud assembly directory of the stage (cdk synth -o). */
  readonly assembly: string;
  readonly stage: string;
  /** OCSP lines to generate; ACME gets a tenth of it. */
  readonly lines: number;
  readonly print: (line: string) => void;
}

/** A failed expectation of the scenario: the run stops and the end-to-end test fails. */
export class ScenarioCheckFailed extends Error {}

/** What every step works with, and what it leaves for the steps after it. */
export interface ScenarioContext {
  readonly options: ScenarioOptions;
  readonly config: StageConfig;
  readonly clients: AwsClients;
  /** Scratch directory for generated traffic. */
  readonly work: string;
  /** Facts later checked by the end-to-end test. */
  readonly facts: Record<string, unknown>;
  /** The stage's bucket on the stand-ins. */
  bucket(purpose: BucketPurpose): string;
  /** Records a check; a false one stops the run. */
  check(description: string, ok: boolean): void;
  /** Objects under a prefix. */
  countObjects(bucket: string, prefix: string): Promise<number>;
  /** Serial of the busiest certificate, found by the aggregation step for the holds step. */
  topSerial?: string;
}

export function scenarioContext(
  options: ScenarioOptions,
  config: StageConfig,
  clients: AwsClients,
  work: string,
): ScenarioContext & { checks(): number } {
  let checks = 0;
  const at = awsPlacement(SCENARIO_ACCOUNT, SCENARIO_REGION);
  return {
    options,
    config,
    clients,
    work,
    facts: {},
    bucket: (purpose) => bucketName(options.stage, purpose, at),
    check(description, ok) {
      if (!ok) throw new ScenarioCheckFailed(`check failed: ${description}`);
      checks += 1;
      options.print(`    ✓ ${description}`);
    },
    async countObjects(Bucket, Prefix) {
      let count = 0;
      for await (const page of objectPages(clients.s3, Bucket, Prefix)) count += page.KeyCount ?? 0;
      return count;
    },
    checks: () => checks,
  };
}

/**
 * Runs `bin/logvault` as a user would; resolves with stdout. A non-zero exit
 * rejects with stderr, unless it is one of `accepted` (e.g. 1: findings).
 */
export async function logvault(
  args: string[],
  env: Record<string, string> = {},
  accepted: number[] = [],
): Promise<string> {
  try {
    const { stdout } = await run(join(ROOT, 'bin', 'logvault'), args, {
      env: { ...process.env, ...env },
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stderr, stdout, code } = error as { stderr?: string; stdout?: string; code?: number };
    if (code !== undefined && accepted.includes(code)) return stdout ?? '';
    throw new Error(`logvault ${args.join(' ')} exited ${code}: ${stderr || stdout}`, {
      cause: error,
    });
  }
}
