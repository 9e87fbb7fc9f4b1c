/**
 * Every logvault log group lives under `/logvault/<stage>/`, the prefix the
 * storage key lets CloudWatch Logs encrypt with.
 */
export function logGroupName(stage: string, name: string): string {
  return `/logvault/${stage}/${name}`;
}

export function logGroupPrefix(stage: string): string {
  return `/logvault/${stage}/`;
}
