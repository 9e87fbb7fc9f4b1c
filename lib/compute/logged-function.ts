import { Construct } from 'constructs';
import { CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DataClass, classifyDataAt } from '../privacy/data-class';
import { logGroupName } from './log-group-name';

export interface LoggedFunctionProps {
  /** Stage name, part of the function and log group names. */
  readonly stage: string;
  /** Short name, e.g. `hold-apply`; the handler lives in `lambdas/<name>/index.ts`. */
  readonly name: string;
  readonly description: string;
  /** Key for the log group, the environment and the dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  /**
   * What the function's logs may contain: `ocsp-personal` gets the short OCSP
   * retention, anything else is `operational`.
   * @default 'operational'
   */
  readonly logDataClass?: Extract<DataClass, 'ocsp-personal' | 'operational'>;
  /** Log retention; must match `logDataClass` (the privacy inventory checks it). */
  readonly logRetention: logs.RetentionDays;
  /** @default {} */
  readonly environment?: Record<string, string>;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Caps concurrency so a runaway caller cannot exhaust the account. @default 5 */
  readonly reservedConcurrency?: number;
  /**
   * Give asynchronous invocations (EventBridge, schedules) an encrypted
   * dead-letter queue. Synchronous callers see errors directly.
   * @default false
   */
  readonly asyncDeadLetterQueue?: boolean;
}

/**
 * A Node.js Lambda function with the setup every logvault handler shares:
 * esbuild bundling, ARM64, an explicit KMS-encrypted log group with the
 * retention of its data class, its own least-privilege role, capped concurrency.
 */
export class LoggedFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly deadLetterQueue?: sqs.Queue;

  constructor(scope: Construct, id: string, props: LoggedFunctionProps) {
    super(scope, id);
    const functionName = `logvault-${props.stage}-${props.name}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: logGroupName(props.stage, `lambda/${props.name}`),
      retention: props.logRetention,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    classifyDataAt(this.logGroup, props.logDataClass ?? 'operational');

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: runs the ${props.name} handler`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
    );
    const logGroupId = Stack.of(this).resolve(
      (this.logGroup.node.defaultChild as CfnElement).logicalId,
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:log-stream:*]`,
      reason:
        'Log streams are created at run time; the wildcard covers streams of this one log group only.',
    });
    Validations.of(this.role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'Each function has its own role whose policy is written for it alone; a managed policy would add no reuse.',
    });

    if (props.asyncDeadLetterQueue) {
      this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
        encryptionMasterKey: props.encryptionKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      classifyDataAt(this.deadLetterQueue, 'operational');
      Validations.of(this.deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the dead-letter queue of the function.',
      });
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: `${__dirname}/../../lambdas/${props.name}/index.ts`,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(1),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: `logvault-${props.name}`,
        LOGVAULT_STAGE: props.stage,
        ...props.environment,
      },
      environmentEncryption: props.encryptionKey,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 5,
      deadLetterQueue: this.deadLetterQueue,
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        // The Lambda runtime ships AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'NIST.800.53.R5-LambdaInsideVPC',
      reason:
        'logvault has no VPC: functions only call regional AWS APIs over TLS with IAM auth; ' +
        'a VPC would add NAT or endpoints without narrowing any data path.',
    });
    if (!props.asyncDeadLetterQueue)
      Validations.of(this.function).acknowledge({
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          'Invoked synchronously: the caller receives every error, there is no event to park.',
      });
  }
}
