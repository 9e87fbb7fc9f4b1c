import { stepFunctionsIntegrations } from '../../naming';

/**
 * The daily job's Step Functions definition (Amazon States Language). No
 * state waits inside a function: the function's phases (workflow.ts) each
 * return at once, and the Wait/poll loop runs in Step Functions, asking
 * Athena for the query's state through the SDK integration. The same JSON
 * is deployed (lib/analytics/daily-aggregation.ts) and run locally by
 * core/workflow/driver.ts.
 */

export interface DailyWorkflowTargets {
  /** The job function (aggregate-daily); its phases are in its payload. */
  readonly functionArn: string;
  /** Seconds between two polls of a running query. @default 15 */
  readonly pollSeconds?: number;
}

/** Errors of the Lambda service itself (not of the function), retried by Step Functions. */
const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

export function dailyWorkflowDefinition(targets: DailyWorkflowTargets) {
  const phase = (name: string, payload: Record<string, unknown>, next: object) => ({
    Type: 'Task',
    Comment: `aggregate-daily, phase ${name}`,
    Resource: stepFunctionsIntegrations.lambdaInvoke,
    Parameters: { FunctionName: targets.functionArn, Payload: { phase: name, ...payload } },
    ResultSelector: { 'state.$': '$.Payload' },
    OutputPath: '$.state',
    Retry: [{ ErrorEquals: LAMBDA_TRANSIENT, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }],
    ...next,
  });
  return {
    Comment: 'logvault daily job: aggregate, publish, count late records; Athena polled here',
    StartAt: 'Plan',
    // A day's job that has not ended in 20 hours fails, and the missed-day alarm fires.
    TimeoutSeconds: 20 * 3600,
    States: {
      Plan: phase('plan', { 'input.$': '$' }, { Next: 'StartStep' }),
      StartStep: phase('start', { 'state.$': '$' }, { Next: 'WaitForQuery' }),
      WaitForQuery: { Type: 'Wait', Seconds: targets.pollSeconds ?? 15, Next: 'PollQuery' },
      PollQuery: {
        Type: 'Task',
        Resource: stepFunctionsIntegrations.athenaGetQueryExecution,
        Parameters: { 'QueryExecutionId.$': '$.queryId' },
        ResultSelector: { 'state.$': '$.QueryExecution.Status.State' },
        ResultPath: '$.query',
        Retry: [
          {
            ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
            IntervalSeconds: 5,
            MaxAttempts: 8,
            BackoffRate: 2,
          },
        ],
        Next: 'QueryEnded',
      },
      QueryEnded: {
        Type: 'Choice',
        Choices: ['SUCCEEDED', 'FAILED', 'CANCELLED'].map((state) => ({
          Variable: '$.query.state',
          StringEquals: state,
          Next: 'FinishStep',
        })),
        Default: 'WaitForQuery',
      },
      FinishStep: phase('finish', { 'state.$': '$' }, { Next: 'MoreSteps' }),
      MoreSteps: {
        Type: 'Choice',
        Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Report' }],
        Default: 'StartStep',
      },
      Report: phase('report', { 'state.$': '$' }, { End: true }),
    },
  };
}
