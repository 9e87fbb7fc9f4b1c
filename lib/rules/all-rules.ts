import { AwsRule } from './rule';
import { AthenaCtasNotInEnforcedWorkGroup } from './athena/AthenaCtasNotInEnforcedWorkGroup';
import { AthenaDdlHasGluePermissions } from './athena/AthenaDdlHasGluePermissions';
import { AthenaWorkGroupUsersCanWriteResults } from './athena/AthenaWorkGroupUsersCanWriteResults';
import { NoStrongCrossStackReferences } from './cdk/NoStrongCrossStackReferences';
import { ProductionStackPinnedToEnvironment } from './cdk/ProductionStackPinnedToEnvironment';
import { RetainedNamedResourceOutsideProduction } from './cdk/RetainedNamedResourceOutsideProduction';
import { DynamoDbAlarmsCoverGrantedOperations } from './cloudwatch/DynamoDbAlarmsCoverGrantedOperations';
import { DynamoDbCmkTableUsersCanUseKey } from './dynamodb/DynamoDbCmkTableUsersCanUseKey';
import { EventsRuleCanReachTargets } from './events/EventsRuleCanReachTargets';
import { S3EventRuleBucketSendsToEventBridge } from './events/S3EventRuleBucketSendsToEventBridge';
import { FirehoseRoleCanDeliverToS3 } from './firehose/FirehoseRoleCanDeliverToS3';
import { ServiceEncryptionKeyIsSymmetric } from './kms/ServiceEncryptionKeyIsSymmetric';
import { LambdaReservedConcurrencyWithinQuota } from './lambda/LambdaReservedConcurrencyWithinQuota';
import { LambdaRoleCanDecryptEnvironment } from './lambda/LambdaRoleCanDecryptEnvironment';
import { LambdaRoleCanReachDestinations } from './lambda/LambdaRoleCanReachDestinations';
import { LogGroupKeyAllowsCloudWatchLogs } from './logs/LogGroupKeyAllowsCloudWatchLogs';
import { S3AccessLogTargetAcceptsLogs } from './s3/S3AccessLogTargetAcceptsLogs';
import { S3BatchOperationsRoleCoversObjectLockJobs } from './s3/S3BatchOperationsRoleCoversObjectLockJobs';
import { S3BucketNameFitsRules } from './s3/S3BucketNameFitsRules';
import { S3KmsBucketUsersCanUseKey } from './s3/S3KmsBucketUsersCanUseKey';
import { S3VersionedBucketRemovesExpiredDeleteMarkers } from './s3/S3VersionedBucketRemovesExpiredDeleteMarkers';
import { S3VersionedExpiryMatchesRetention } from './s3/S3VersionedExpiryMatchesRetention';
import { SchedulerRoleCanReachTargetAndDlq } from './scheduler/SchedulerRoleCanReachTargetAndDlq';
import { StateMachineRoleCanDeliverLogs } from './stepfunctions/StateMachineRoleCanDeliverLogs';
import { SnsAlarmTopicHasSubscriber } from './sns/SnsAlarmTopicHasSubscriber';
import { SnsAlarmTopicKeyAllowsCloudWatch } from './sns/SnsAlarmTopicKeyAllowsCloudWatch';
import { SnsTopicPolicyLetsAlarmsPublish } from './sns/SnsTopicPolicyLetsAlarmsPublish';

/** Every rule of the pack, in report order. */
export const allRules: readonly AwsRule[] = [
  SnsAlarmTopicKeyAllowsCloudWatch,
  SnsTopicPolicyLetsAlarmsPublish,
  SnsAlarmTopicHasSubscriber,
  AthenaCtasNotInEnforcedWorkGroup,
  AthenaDdlHasGluePermissions,
  AthenaWorkGroupUsersCanWriteResults,
  S3BatchOperationsRoleCoversObjectLockJobs,
  S3VersionedExpiryMatchesRetention,
  S3VersionedBucketRemovesExpiredDeleteMarkers,
  EventsRuleCanReachTargets,
  SchedulerRoleCanReachTargetAndDlq,
  LambdaRoleCanReachDestinations,
  LambdaRoleCanDecryptEnvironment,
  DynamoDbCmkTableUsersCanUseKey,
  S3KmsBucketUsersCanUseKey,
  LogGroupKeyAllowsCloudWatchLogs,
  S3AccessLogTargetAcceptsLogs,
  FirehoseRoleCanDeliverToS3,
  S3EventRuleBucketSendsToEventBridge,
  ServiceEncryptionKeyIsSymmetric,
  LambdaReservedConcurrencyWithinQuota,
  ProductionStackPinnedToEnvironment,
  S3BucketNameFitsRules,
  NoStrongCrossStackReferences,
  RetainedNamedResourceOutsideProduction,
  DynamoDbAlarmsCoverGrantedOperations,
  StateMachineRoleCanDeliverLogs,
];
