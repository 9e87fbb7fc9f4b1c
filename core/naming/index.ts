/**
 * Every physical name of logvault, built here and nowhere else
 * (test/architecture checks): buckets, tables and indexes, streams,
 * workgroup and database, roles, functions, log groups, keys, alarms,
 * metrics, and their ARN and cdk-nag renderings.
 */
export * from './placement';
export * from './buckets';
export * from './names';
export * from './workgroups';
export * from './arns';
export * from './prefixes';
export * from './delivery';
export * from './metrics';
