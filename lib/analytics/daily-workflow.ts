import { Construct } from 'constructs';
import { CfnElement, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { dailyWorkflowDefinition } from '../../core/analytics/daily-workflow/definition';
import { arns, stateMachineLogGroupName, stateMachineName } from '../../core/naming';
import { grantSendToEncryptedQueue } from '../compute/grants';
import { AlarmFactory } from '../monitoring/alarm-factory';
import { DEPLOYED } from '../placement';
import { classifyDataAt } from '../privacy/data-class';

export interface DailyWorkflowProps {
  readonly stage: string;
  /** The function whose phases are the workflow's tasks (aggregate-daily). */
  readonly handler: lambda.IFunction;
  /** The workgroup the function submits its queries in; the workflow polls them there. */
  readonly jobsWorkGroupName: string;
  /** Key of the execution log group and the schedule's dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  /** The stage's alarms; the workflow adds the failed-execution alarm. */
  readonly alarms: AlarmFactory;
  /**
   * How long execution logs are kept. They hold state names and timings only
   * (no execution data), so they are operational logs.
   * @default THREE_MONTHS, as every operational log group of the stage
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * When the schedule starts an execution, UTC. Must come after the time of
   * day a day becomes final (core/time/finality.ts: 00:15 with 24 lateness hours).
   * @default 03:15 UTC
   */
  readonly runAt?: { readonly hour: number; readonly minute: number };
  /**
   * Seconds between two polls of a running query.
   * @default 15 (the definition's default)
   */
  readonly pollSeconds?: number;
}

/**
 * The daily job as a Step Functions workflow (core/analytics/daily-workflow):
 * the state machine deploys the core definition itself, so no phase of the
 * function ever waits on Athena and a query may run for hours. A schedule
 * starts one execution a day with its scheduled time, from which the plan
 * takes the day; an execution that fails or times out raises an alarm, and
 * the missed-day alarm fires too because no report phase published the day.
 */
export class DailyWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** The state machine's role: invokes the handler and polls the jobs workgroup, nothing else. */
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly schedule: scheduler.Schedule;
  /** Where the schedule parks a start it could not make after its retries. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Fires when an execution failed, timed out or was aborted. */
  public readonly failedExecutionAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DailyWorkflowProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: stateMachineLogGroupName(props.stage, 'daily-job'),
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    classifyDataAt(this.logGroup, 'operational');
    this.role = this.createRole(props);
    this.stateMachine = this.createStateMachine(props);
    this.deadLetterQueue = this.createDeadLetterQueue(props);
    this.schedule = this.createSchedule(props);
    const machine = this.stateMachine;
    const period = Duration.hours(1);
    this.failedExecutionAlarm = props.alarms.alarm(this, 'daily workflow execution failed', {
      description:
        'An execution of the daily job failed, timed out or was aborted: see its history in the ' +
        'Step Functions console. Start it again with {"day": "YYYY-MM-DD"} while the day is in the raw window.',
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: machine.metricFailed({ statistic: 'Sum', period }),
          timedOut: machine.metricTimedOut({ statistic: 'Sum', period }),
          aborted: machine.metricAborted({ statistic: 'Sum', period }),
        },
        period,
      }),
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  private createRole(props: DailyWorkflowProps): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': DEPLOYED.account } },
      }),
      description: `logvault ${props.stage}: runs the daily job's workflow`,
    });
    props.handler.grantInvoke(role);
    // The function submits and reads its queries; the workflow only asks for their state.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['athena:GetQueryExecution'],
        resources: [arns.athenaWorkGroup(DEPLOYED, props.jobsWorkGroupName)],
      }),
    );
    const functionId = Stack.of(this).resolve(
      ((props.handler as lambda.Function).node.defaultChild as CfnElement).logicalId,
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: 'lambda:InvokeFunction on this one function, any version or alias of it.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Logging to CloudWatch Logs: the log-delivery actions (logs:CreateLogDelivery and the rest) ' +
        'support no resource-level permissions (Step Functions Developer Guide, "IAM policies for ' +
        'logging to CloudWatch Logs"); no data action is granted on *.',
    });
    Validations.of(role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The role exists for this one state machine; a managed policy would add no reuse.',
    });
    return role;
  }

  private createStateMachine(props: DailyWorkflowProps): sfn.StateMachine {
    const definition = dailyWorkflowDefinition({
      functionArn: props.handler.functionArn,
      pollSeconds: props.pollSeconds,
    });
    const machine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: stateMachineName(props.stage, 'daily-job'),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // The core definition as it is: its TimeoutSeconds bounds an execution.
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      role: this.role,
      // Transitions and timings, not the state: a task's error cause may quote an engine message.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: false,
    });
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'X-Ray is off: the function it invokes is not traced and the queries run in Athena, so a ' +
        "trace would repeat the execution history's timings; tracing would add xray:Put* on *.",
    });
    return machine;
  }

  private createDeadLetterQueue(props: DailyWorkflowProps): sqs.Queue {
    const queue = new sqs.Queue(this, 'DeadLetters', {
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    classifyDataAt(queue, 'operational');
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the daily job's schedule.",
    });
    return queue;
  }

  private createSchedule(props: DailyWorkflowProps): scheduler.Schedule {
    const runAt = props.runAt ?? { hour: 3, minute: 15 };
    const role = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': DEPLOYED.account } },
      }),
      description: `logvault ${props.stage}: starts the daily job's workflow on schedule`,
    });
    // Scheduler sends undeliverable starts as this role: the queue and its key.
    grantSendToEncryptedQueue(role, this.deadLetterQueue);
    Validations.of(role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The role exists for this one schedule; a managed policy would add no reuse.',
    });
    return new scheduler.Schedule(this, 'Schedule', {
      description: `logvault ${props.stage}: finalise, publish and aggregate the OCSP days`,
      schedule: scheduler.ScheduleExpression.cron({
        hour: String(runAt.hour),
        minute: String(runAt.minute),
        timeZone: TimeZone.ETC_UTC,
      }),
      target: new targets.StepFunctionsStartExecution(this.stateMachine, {
        // The plan judges finality at the scheduled time, so a late or retried start plans the same days.
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: 2,
        deadLetterQueue: this.deadLetterQueue,
        role,
      }),
    });
  }
}
