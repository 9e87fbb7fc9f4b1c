import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DailyJobResult,
  DailyJobTarget,
  finalDayMetrics,
  finaliseDay,
} from '../../core/analytics/daily-job';
import { RANKED_PER_DAY } from '../../core/analytics/daily-aggregation';
import { publicationLayout } from '../../core/analytics/publication/writer';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { dailyWorkflowDefinition } from '../../core/analytics/daily-workflow/definition';
import { runWorkflowPhase, workflowEventSchema } from '../../core/analytics/daily-workflow/phases';
import { MAX_STEP_ATTEMPTS } from '../../core/analytics/daily-workflow/workflow';
import { arns, awsPlacement, functionName, stackName, stateMachineName } from '../../core/naming';
import { addDays, formatDay, parseDay } from '../../core/time/days';
import { AthenaOverTrino } from '../../core/query/athena-over-trino';
import { Definition } from '../../core/workflow/driver';
import { generateTraffic, landAsFirehose } from '../support/analytics-fixture';
import { deployedDailyDefinition, executeDailyWorkflow } from '../support/daily-workflow';
import { LOCAL_REGION } from '../support/standins';
import { StageOnStandins, loadStageOnStandins } from '../support/trino';

/** What the stage's state machine needs on moto: itself, its role, its log group (and the function it names). */
const WORKFLOW_TYPES = [
  'AWS::StepFunctions::StateMachine',
  'AWS::IAM::Role',
  'AWS::Logs::LogGroup',
  'AWS::Lambda::Function',
];

/**
 * The daily job as the Step Functions workflow runs it (issue 19: a job that
 * outlives a Lambda): the definition read back from the synthesized compute
 * template (and deployed on moto by the loader), walked state by state by the
 * local driver (moto's Step Functions runs no tasks), each Lambda phase run
 * in-process and returning at once, Athena's query state polled by the
 * workflow, the queries on Trino over records landed on moto. It must do
 * exactly what the CLI's in-process backfill does; a failed query reruns its step.
 */
/** The aggregate's CTAS, not the ranking's: both write through the same staging table name. */
const AGGREGATE_CTAS = /CREATE TABLE[\s\S]*\/ocsp_cert_daily\/day=/;

describe('the daily job as a workflow', () => {
  let stage: StageOnStandins;
  let target: DailyJobTarget;
  let firstRun: DailyJobResult | undefined;
  const today = formatDay(new Date());
  // 06:00 UTC today: the day before yesterday is the latest final day, yesterday is provisional.
  const now = new Date(parseDay(today).getTime() + 6 * 3_600_000);
  const finalDay = addDays(today, -2);
  const yesterday = addDays(today, -1);
  let definition: Definition;
  /** ACME events of the final day that a producer's own shipper sent to an OCSP stream. */
  let acmeInOcspBucket: number;
  /** OCSP requests of the final day: what the aggregate counts, ACME events aside. */
  let ocspOfFinalDay: number;
  const query = async (text: string) => (await stage.runner.run(text)).rows;

  const execute = (athena: AthenaOverTrino, input: object = {}) =>
    executeDailyWorkflow(definition, athena, input, (payload) =>
      runWorkflowPhase(
        workflowEventSchema.parse(payload),
        { runner: athena, s3: stage.clients.s3, now },
        target,
      ),
    );

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev', WORKFLOW_TYPES);
    definition = deployedDailyDefinition(stage);
    target = {
      aggregatesBucket: stage.buckets.aggregates,
      rawLogExpiryDays: stage.config.ocsp.rawLogExpiryDays,
      parameters: stage.config.analytics.publication,
    };
    const traffic = generateTraffic({
      seed: 19,
      start: parseDay(finalDay),
      end: parseDay(today),
      ocspLines: 3_000,
      acmeLines: 90,
    });
    // Issue 18: a producer with its own shipper (no transformation function) sends ACME events
    // to an OCSP stream; Firehose mixes them into the OCSP objects of the same hours.
    await landAsFirehose(
      stage.clients.s3,
      stage.buckets.ocspRawLogs,
      'ocsp/',
      [...traffic.ocsp, ...traffic.acme].sort((a, b) => a.ts.localeCompare(b.ts)),
      { seed: 19, stream: `logvault-${stage.config.stage}-ocsp-1` },
    );
    const ofFinalDay = (records: { ts: string }[]) =>
      records.filter((r) => r.ts.startsWith(finalDay)).length;
    acmeInOcspBucket = ofFinalDay(traffic.acme);
    ocspOfFinalDay = ofFinalDay(traffic.ocsp);
  }, 600_000);

  it('the loader deploys the state machine on moto with the core definition and its logging', async () => {
    const compute = stackName(stage.config.stage, 'Compute');
    const [machine] = [...stage.load.physical.entries()].filter(
      ([key, created]) =>
        key.startsWith(`${compute}/`) &&
        created.attributes.Name === stateMachineName(stage.config.stage, 'daily-job'),
    );
    const described = await stage.clients.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: machine![1].ref }),
    );
    const at = awsPlacement(stage.accountId, LOCAL_REGION);
    const functionArn = arns.lambdaFunction(
      at,
      functionName(stage.config.stage, 'aggregate-daily'),
    );
    expect(JSON.parse(described.definition!)).toEqual(dailyWorkflowDefinition({ functionArn }));
    expect(described.loggingConfiguration).toMatchObject({
      level: 'ALL',
      includeExecutionData: false,
    });
    // The template's rendering is the same definition (the function's ARN aside): what the tests below run.
    expect(definition).toEqual(dailyWorkflowDefinition({ functionArn: expect.any(String) }));
  });

  it('aggregates, publishes and counts as the CLI backfill does, polling every query', async () => {
    const athena = new AthenaOverTrino(stage.runnerIn(stage.jobsWorkGroup));
    const execution = await execute(athena);
    expect(execution.error).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    const viaWorkflow = execution.output as DailyJobResult;
    expect(viaWorkflow.final.aggregate).toMatchObject({ day: finalDay, final: true });
    expect(viaWorkflow.final.aggregate.requests).toBeGreaterThan(500);
    firstRun = viaWorkflow;
    expect(viaWorkflow.final.publication.status).toBe('published');
    expect(viaWorkflow.provisional).toMatchObject({ day: yesterday, final: false });
    // Fourteen steps (six per aggregated day: four for the aggregate, two for its ranking;
    // publish; records after final), each one query, each polled.
    expect(athena.submitted).toHaveLength(14);
    expect(execution.history.filter((s) => s === 'PollQuery').length).toBeGreaterThanOrEqual(10);

    // The CLI's backfill (`logvault aggregate --day`, in one process) over the same records
    // and instant: the same counts; the day stays published once.
    const direct = await finaliseDay(
      finalDay,
      { runner: stage.runnerIn(stage.jobsWorkGroup), s3: stage.clients.s3, now },
      target,
    );
    expect(direct.aggregate.certificates).toBe(viaWorkflow.final.aggregate.certificates);
    expect(direct.aggregate.requests).toBe(viaWorkflow.final.aggregate.requests);
    expect(direct.recordsAfterFinal).toBe(viaWorkflow.final.recordsAfterFinal);
    expect(direct.publication.status).toBe('already-published');
    // Rerun replaced the partition the workflow wrote, and the workflow reported what it replaced.
    expect(direct.aggregate.replacedObjects).toBeGreaterThan(0);
    // Many queries on Trino (the workflow's fourteen, then the backfill's): slow on a loaded machine.
  }, 420_000);

  it('counts ACME events in the OCSP bucket apart, for their alarm, and as no certificate', async () => {
    const { aggregate } = firstRun!.final;
    expect(acmeInOcspBucket).toBeGreaterThan(5);
    // The job's counts read the small Parquet staging table: no extra scan of raw logs.
    expect(aggregate.recordsWithoutCertificate).toBe(acmeInOcspBucket);
    expect(aggregate.requests).toBe(ocspOfFinalDay);
    expect(finalDayMetrics(firstRun!.final)).toContainEqual({
      metric: 'ocspRecordsWithoutCertificate',
      value: acmeInOcspBucket,
    });
    // The JSON SerDe reads an ACME line as a row with NULL serial and issuer key hash; the
    // aggregate keeps that one group (it is what the count reads) and nothing else counts it.
    expect(
      await query(
        `SELECT serial, issuer_key_hash, requests FROM ocsp_cert_daily
         WHERE day = '${finalDay}' AND (serial IS NULL OR issuer_key_hash IS NULL)`,
      ),
    ).toEqual([[null, null, String(acmeInOcspBucket)]]);
    const [[certificates]] = await query(
      `SELECT count(*) FROM ocsp_cert_daily WHERE day = '${finalDay}' AND serial IS NOT NULL`,
    );
    expect(Number(certificates)).toBe(aggregate.certificates);
    // The ranking's only row without certificate is its bound row.
    expect(
      await query(
        `SELECT rank FROM ocsp_cert_rank_daily WHERE day = '${finalDay}' AND serial IS NULL`,
      ),
    ).toEqual([[String(RANKED_PER_DAY + 1)]]);
    for (const view of [
      'ocsp_top_certs_daily',
      'ocsp_cert_volume_daily',
      'ocsp_cert_volume_hourly',
    ])
      expect(await query(`SELECT count(*) FROM ${view} WHERE serial IS NULL`)).toEqual([['0']]);
    const [[totals]] = await query(`SELECT sum(requests) FROM ocsp_hourly_totals`);
    expect(Number(totals)).toBe(3_000);
    // The published day has no row without a certificate.
    const published = await stage.clients.s3.send(
      new GetObjectCommand({
        Bucket: target.aggregatesBucket,
        Key: publicationLayout.data(finalDay),
      }),
    );
    const csv = (await published.Body!.transformToString()).trim().split('\n');
    expect(csv.length).toBe(firstRun!.final.publication.rows + 1);
    expect(csv.slice(1).filter((row) => /^,|,,/.test(row))).toEqual([]);
  }, 300_000);

  it('runs a step again when its query fails, and ends with the same aggregate', async () => {
    const athena = new AthenaOverTrino(stage.runnerIn(stage.jobsWorkGroup));
    athena.failNext(MAX_STEP_ATTEMPTS - 1, AGGREGATE_CTAS);
    const execution = await execute(athena, { day: finalDay });
    expect(execution.error).toBeUndefined();
    const result = execution.output as DailyJobResult;
    expect(athena.submitted.filter((q) => AGGREGATE_CTAS.test(q))).toHaveLength(MAX_STEP_ATTEMPTS);
    // The same day over the same records as the first run: the same counts.
    const { certificates, requests } = firstRun!.final.aggregate;
    expect(result.final.aggregate).toMatchObject({ certificates, requests });
  });

  it('fails the execution, before the report that feeds the missed-day alarm, when a query keeps failing', async () => {
    const athena = new AthenaOverTrino(stage.runnerIn(stage.jobsWorkGroup));
    athena.failNext(MAX_STEP_ATTEMPTS, AGGREGATE_CTAS);
    const execution = await execute(athena, { day: finalDay });
    expect(execution.status).toBe('FAILED');
    expect(execution.error?.message).toMatch(
      /step aggregate:load of \d{4}-\d{2}-\d{2} failed 3 times/,
    );
    // No report: no daysAggregated datum, so the missed-day alarm (missing data = breaching) fires.
    expect(execution.history).not.toContain('Report');
  });

  it('refuses a day outside the raw window in the plan, before any query', async () => {
    const athena = new AthenaOverTrino(stage.runnerIn(stage.jobsWorkGroup));
    const execution = await execute(athena, { day: addDays(today, -400) });
    expect(execution.status).toBe('FAILED');
    expect(execution.history).toEqual(['Plan']);
    expect(athena.submitted).toEqual([]);
  });
});
