import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { loadStageConfig } from '../core/config/load-stage-config';
import { lockDays } from '../core/config/stage-config';
import { sealPending } from '../core/sealing/seal';
import { writeDigests } from '../core/sealing/digest';
import { verifyArchive } from '../core/sealing/verify';
import { KmsSigner, kmsPublicKey } from '../core/sealing/signer';
import { hourOf } from '../core/sealing/keys';
import { loadTemplates, notEmulated, readCloudAssembly } from './template-loader';
import { awsClients } from './aws-clients';
import { renderAudit, runAudit } from '../cli/commands/audit';
import { renderTable } from '../core/format/table';
import {
  BucketPurpose,
  awsPlacement,
  bucketName,
  databaseName,
  digestSigningKeyAlias,
} from '../core/naming';

const run = promisify(execFile);
const root = join(__dirname, '..');

/** Runs `bin/logvault` as a user would; resolves with stdout, rejects with stderr on a non-zero exit. */
async function logvault(args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run(join(root, 'bin', 'logvault'), args, {
      env: { ...process.env, ...env },
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stderr, stdout, code } = error as { stderr?: string; stdout?: string; code?: number };
    throw new Error(`logvault ${args.join(' ')} exited ${code}: ${stderr || stdout}`, {
      cause: error,
    });
  }
}

/** A failed expectation of the scenario: the run stops and the end-to-end test fails. */
class ScenarioCheckFailed extends Error {}

/** The account id every local resource name is derived with. */
export const SCENARIO_ACCOUNT = '123456789012';

export interface ScenarioOptions {
  /** Cloud assembly directory of the stage (cdk synth -o). */
  readonly assembly: string;
  readonly stage: string;
  /** OCSP lines to generate; ACME gets a tenth of it. */
  readonly lines: number;
  readonly print: (line: string) => void;
}

export interface StepResult {
  readonly name: string;
  readonly seconds: number;
  readonly summary: string;
}

export interface ScenarioResult {
  readonly steps: StepResult[];
  /** Facts later checked by the end-to-end test. */
  readonly facts: Record<string, unknown>;
}

async function resetStandins(): Promise<void> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint)
    throw new Error(
      'AWS_ENDPOINT_URL is not set: run `eval "$(bash scripts/standins.sh env)"` first',
    );
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`resetting moto failed: HTTP ${response.status}`);
}

/**
 * The scripted end-to-end run on the stand-ins: recreate the stage from its
 * template, ship traffic, seal, aggregate, hold and release, audit.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const steps: StepResult[] = [];
  const facts: Record<string, unknown> = {};
  const step = async (name: string, body: () => Promise<string>) => {
    options.print(`\n▶ ${name}`);
    const started = Date.now();
    const summary = await body();
    const seconds = (Date.now() - started) / 1000;
    steps.push({ name, seconds, summary });
    options.print(`  ${summary} (${seconds.toFixed(1)} s)`);
  };
  const clients = awsClients();
  const config = loadStageConfig(options.stage);
  const bucket = (purpose: BucketPurpose) =>
    bucketName(options.stage, purpose, awsPlacement(SCENARIO_ACCOUNT, 'us-east-1'));
  const work = join(root, '.run', 'scenario');
  mkdirSync(work, { recursive: true });
  let checks = 0;
  const check = (description: string, ok: boolean) => {
    if (!ok) throw new ScenarioCheckFailed(`check failed: ${description}`);
    checks += 1;
    options.print(`    ✓ ${description}`);
  };
  const countObjects = async (Bucket: string, Prefix: string) => {
    let count = 0;
    for await (const page of paginateListObjectsV2({ client: clients.s3 }, { Bucket, Prefix }))
      count += page.KeyCount ?? 0;
    return count;
  };

  await step('create the stage on the stand-ins from its synthesized template', async () => {
    await resetStandins();
    const stacks = readCloudAssembly(options.assembly);
    const { resources } = await loadTemplates(stacks, clients, {
      accountId: SCENARIO_ACCOUNT,
      region: 'us-east-1',
    });
    const count = (status: string) => resources.filter((r) => r.status === status).length;
    const skipped = new Map<string, number>();
    for (const r of resources.filter((x) => x.status === 'skipped'))
      skipped.set(r.type, (skipped.get(r.type) ?? 0) + 1);
    for (const [type, n] of skipped)
      options.print(`    not emulated  ${n} × ${type}: ${notEmulated[type]}`);
    for (const r of resources.filter(
      (x) => (x.status !== 'created' && x.status !== 'skipped') || x.note,
    ))
      options.print(`    ${r.status.padEnd(12)}  ${r.type} ${r.logicalId}: ${r.note ?? r.detail}`);
    facts.load = {
      created: count('created'),
      skipped: count('skipped'),
      unsupported: count('unsupported'),
      failed: count('failed'),
    };
    if (count('failed') > 0) throw new Error('some resources could not be created; see above');
    return `${count('created')} resources created, ${count('skipped')} not emulated, ${count('unsupported')} unsupported`;
  });

  const acmeLines = Math.max(100, Math.round(options.lines / 10));
  await step(
    `generate ${options.lines} OCSP and ${acmeLines} ACME lines and ship them with logvault ship`,
    async () => {
      const shipped: Record<
        string,
        { delivered: number; billedRatio: number; linesPerSecond: number }
      > = {};
      for (const [type, lines] of [
        ['ocsp', options.lines],
        ['acme', acmeLines],
      ] as const) {
        const file = join(work, `${type}.ndjson`);
        const ndjson = await logvault([
          'generate',
          '--type',
          type,
          '--lines',
          String(lines),
          '--days',
          '1',
          '--seed',
          '7',
        ]);
        writeFileSync(file, ndjson);
        shipped[type] = JSON.parse(
          await logvault(['ship', '--type', type, '--stage', options.stage, '--quiet', file]),
        );
        check(`all ${lines} ${type} lines delivered`, shipped[type].delivered === lines);
      }
      check(
        'OCSP objects landed in the raw bucket under ocsp/',
        (await countObjects(bucket('ocsp-raw'), 'ocsp/')) > 0,
      );
      facts.shipped = shipped;
      return `OCSP ${shipped.ocsp.linesPerSecond} lines/s, billed ${shipped.ocsp.billedRatio}× raw bytes; ACME billed ${shipped.acme.billedRatio}×`;
    },
  );

  await step(
    'seal subscriber logs into the locked archive, write signed digests, verify the chain',
    async () => {
      const lock = { mode: config.subscriber.lock.mode, days: lockDays(config) };
      const sealed = await sealPending({
        s3: clients.s3,
        landingBucket: bucket('subscriber-landing'),
        archiveBucket: bucket('subscriber-archive'),
        lock,
      });
      check(
        'every landing object sealed without failure',
        sealed.failures.length === 0 && sealed.outcomes.length > 0,
      );
      check(
        'landing is empty after sealing',
        (await countObjects(bucket('subscriber-landing'), 'acme/')) === 0,
      );
      const kms = new KMSClient({ region: 'us-east-1' });
      const keyId = digestSigningKeyAlias(options.stage);
      const scanDays = config.subscriber.landingExpiryDays + 1;
      const through = hourOf(new Date());
      const digests = await writeDigests(
        {
          s3: clients.s3,
          archiveBucket: bucket('subscriber-archive'),
          signer: new KmsSigner(kms, keyId),
          lock,
          scanDays,
        },
        { through, genesis: through },
      );
      const report = await verifyArchive(
        {
          s3: clients.s3,
          archiveBucket: bucket('subscriber-archive'),
          publicKey: await kmsPublicKey(kms, keyId),
          scanDays,
        },
        { from: through, to: through },
      );
      check(
        `verify finds the ${sealed.outcomes.length} sealed objects intact`,
        report.findings.length === 0 && report.objects === sealed.outcomes.length,
      );
      facts.sealed = sealed.outcomes.length;
      return `${sealed.outcomes.length} objects sealed (${lock.mode}, ${lock.days} d), ${digests.length} digest(s) signed, verify: no findings`;
    },
  );

  const trino = {
    LOGVAULT_QUERY_ENGINE: 'trino',
    LOGVAULT_GLUE_DATABASE: databaseName(options.stage),
  };
  const today = new Date().toISOString().slice(0, 10);
  let topSerial = '';
  await step('run the daily aggregation on Trino and print the top certificates', async () => {
    // Everything shipped arrived today; --today aggregates the day so far (the
    // scheduled run for the day replaces it once the day is complete).
    options.print(await logvault(['aggregate', '--today', '--stage', options.stage], trino));
    // --format json prints one JSON object per row (NDJSON).
    const top = (
      await logvault(['query', 'top-certificates', '--date', today, '--format', 'json'], trino)
    )
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, string>);
    options.print(
      renderTable(
        ['RANK', 'SERIAL', 'REQUESTS', 'DISTINCT CLIENTS'],
        top.slice(0, 5).map((r) => [r.rank, r.serial, r.requests, r.distinct_clients]),
      ),
    );
    const total = top.reduce((sum, r) => sum + Number(r.requests), 0);
    check(
      'the top certificates are ranked by requests',
      Number(top[0].requests) >= Number(top[1].requests),
    );
    check(
      `the top-${top.length} account for at most the ${options.lines} shipped requests`,
      total <= options.lines,
    );
    topSerial = top[0].serial;
    facts.topCertificates = top.slice(0, 5);
    return `${top.length} certificates ranked; the busiest drew ${top[0].requests} requests`;
  });

  await step(
    'open an ACME case and an OCSP investigation, try to delete held data, release both',
    async () => {
      const from = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const to = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const hold = (args: string[], env: Record<string, string> = {}) =>
        logvault(
          ['hold', ...args, '--local', '--stage', options.stage, '--requester', 'scenario'],
          { ...trino, ...env },
        );
      const common = ['--from', from, '--to', to, '--reason', 'scenario', '--ticket', 'DEMO-1'];
      // A threshold of 1 makes the small archive a "large" case: S3 Batch Operations sets the flags.
      const viaBatchJob = { HOLD_LARGE_SCOPE_THRESHOLD: '1' };
      options.print(
        await hold(['apply', 'CASE-ACME-1', '--dataset', 'acme', ...common], viaBatchJob),
      );
      const acmeCase = JSON.parse(await hold(['show', 'CASE-ACME-1', '--json'])) as {
        case: { objectCount: number };
        audit: { event: string; details: { succeeded?: number } }[];
      };
      const jobReport = acmeCase.audit.find((e) => e.event.startsWith('apply-job-completed:'));
      check(
        `an S3 Batch Operations job held all ${acmeCase.case.objectCount} archived versions of the ACME case`,
        jobReport?.details.succeeded === acmeCase.case.objectCount && acmeCase.case.objectCount > 1,
      );
      const ocspCase = JSON.parse(
        await hold([
          'apply',
          'CASE-OCSP-1',
          '--dataset',
          'ocsp',
          '--serial',
          topSerial,
          ...common,
          '--json',
        ]),
      ) as { recordCount: number };
      options.print(
        `CASE-OCSP-1: ${ocspCase.recordCount} records of ${topSerial} extracted and held`,
      );
      const shippedForSerial = readFileSync(join(work, 'ocsp.ndjson'), 'utf8')
        .split('\n')
        .filter((line) => line.includes(`"serial":"${topSerial}"`)).length;
      check(
        `the extract holds exactly the ${shippedForSerial} shipped requests for ${topSerial}, nobody else's`,
        ocspCase.recordCount === shippedForSerial,
      );

      const archive = bucket('subscriber-archive');
      const held = (
        await clients.s3.send(new ListObjectVersionsCommand({ Bucket: archive, Prefix: 'acme/' }))
      ).Versions![0];
      const refused = await clients.s3
        .send(
          new DeleteObjectCommand({
            Bucket: archive,
            Key: held.Key,
            VersionId: held.VersionId,
            BypassGovernanceRetention: true,
          }),
        )
        .then(
          () => false,
          (error: Error) => error.name === 'AccessDenied',
        );
      check('deleting a held archive version is refused, even with the governance bypass', refused);
      const extracts = async () =>
        (
          await clients.s3.send(
            new ListObjectVersionsCommand({
              Bucket: bucket('investigations'),
              Prefix: 'cases/CASE-OCSP-1/',
            }),
          )
        ).Versions?.length ?? 0;
      const extracted = await extracts();
      check(
        'the OCSP investigation extracted only its records into the investigations bucket',
        extracted > 0,
      );

      options.print(
        await hold(['release', 'CASE-ACME-1', '--reason', 'scenario done'], viaBatchJob),
      );
      const released = JSON.parse(await hold(['show', 'CASE-ACME-1', '--json'])) as typeof acmeCase;
      check(
        'releasing it, a second job lifted every one of those holds',
        released.audit.find((e) => e.event.startsWith('release-job-completed:'))?.details
          .succeeded === acmeCase.case.objectCount,
      );
      options.print(await hold(['release', 'CASE-OCSP-1', '--reason', 'scenario done']));
      check(
        'releasing the OCSP case deleted every version of its extract',
        (await extracts()) === 0,
      );
      facts.holds = { extractObjects: extracted };
      return `held and released 2 cases, the ACME one through 2 S3 Batch Operations jobs; ${extracted} extract object(s) created and deleted`;
    },
  );

  await step('run the privacy audit', async () => {
    const template = await runAudit({ mode: 'template', stage: options.stage });
    const live = await runAudit({
      mode: 'live',
      stage: options.stage,
      account: SCENARIO_ACCOUNT,
      region: 'us-east-1',
    });
    options.print(renderAudit(template));
    options.print('');
    options.print(renderAudit(live));
    const failed = (rows: { verdict: string }[]) => rows.filter((r) => r.verdict === 'FAIL').length;
    check('the template audit passes every promise', failed(template.rows) === 0);
    const standInGap = (r: { promise: string; evidence: string }) =>
      r.promise.startsWith('Every bucket is encrypted') &&
      r.evidence.split('; ').every((e) => e.endsWith('no TLS-only bucket policy'));
    check(
      'the live audit passes every promise but the TLS-only Deny, which moto cannot hold (see the load report)',
      live.rows.filter((r) => r.verdict === 'FAIL').every(standInGap),
    );
    facts.audit = { template: template.rows, live: live.rows };
    return `template: ${failed(template.rows)} FAIL of ${template.rows.length}; live: ${failed(live.rows)} FAIL of ${live.rows.length}`;
  });

  facts.checks = checks;
  options.print('\nSummary');
  for (const s of steps)
    options.print(`  ${s.seconds.toFixed(1).padStart(6)} s  ${s.name}: ${s.summary}`);
  options.print(
    `  ${steps
      .reduce((t, s) => t + s.seconds, 0)
      .toFixed(1)
      .padStart(6)} s  total`,
  );
  return { steps, facts };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      assembly: { type: 'string', default: 'cdk.out/dev' },
      stage: { type: 'string', default: 'dev' },
      lines: { type: 'string', default: '300000' },
      facts: { type: 'string' },
    },
  });
  const lines = Number(values.lines);
  if (!Number.isInteger(lines) || lines < 1000) {
    console.error(`--lines must be a whole number of at least 1000, got ${values.lines}`);
    process.exit(2);
  }
  runScenario({
    assembly: values.assembly!,
    stage: values.stage!,
    lines,
    print: (line) => console.log(line),
  })
    .then((result) => {
      if (values.facts) writeFileSync(values.facts, JSON.stringify(result.facts, null, 2));
    })
    .catch((error: Error) => {
      console.error(`scenario failed: ${error.message}`);
      process.exitCode = 1;
    });
}
