import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { roleAllows, roleOf, trusts } from '../support/iam';
import { at, listOf } from '../support/props';

/** What the Step Functions Developer Guide asks of the role for logging, on `*`. */
const LOG_DELIVERY = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * A state machine that logs to CloudWatch Logs sets up the delivery with its
 * own role, so CreateStateMachine (and the stack) fails with "The state
 * machine IAM Role is not authorized to access the Log Destination" unless
 * the role allows the log-delivery actions, which take no resource ARN
 * (Step Functions Developer Guide, "Logging using CloudWatch Logs", IAM
 * policies for logging). The role must also trust states.amazonaws.com.
 */
export const StateMachineRoleCanDeliverLogs: AwsRule = {
  name: 'StateMachineRoleCanDeliverLogs',
  level: NagMessageLevel.ERROR,
  info: "The state machine logs to CloudWatch Logs but its role lacks the log-delivery actions on * (or states.amazonaws.com cannot assume it): the state machine's creation fails.",
  doc: {
    title: 'Logging Step Functions execution history using CloudWatch Logs',
    url: 'https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html',
    sentence:
      'If you create a Standard Workflow, or an Express Workflow using the API, CLI, or AWS CloudFormation, Step Functions will not enable logging by default, and you will need ensure your role has the necessary permissions.',
  },
  appliesTo: ['AWS::StepFunctions::StateMachine'],
  check: (machine, model) => {
    const destinations = listOf(at(machine.properties, 'LoggingConfiguration', 'Destinations'));
    const role = roleOf(model, machine.properties.RoleArn, machine);
    if (destinations.length === 0 || !role) return NOT_APPLICABLE;
    return verdict(
      trusts(role, 'states.amazonaws.com') &&
        LOG_DELIVERY.every((action) => roleAllows(model, role, action, ['*'])),
    );
  },
};
