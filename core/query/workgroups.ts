import { JOBS_WORKGROUP_SUFFIX, workGroupEnforces } from '../naming';

/** A statement Athena would refuse in this workgroup, refused locally the same way. */
export class WorkGroupRuleError extends Error {
  constructor(
    readonly workGroup: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkGroupRuleError';
  }
}

const withoutComments = (sql: string) =>
  sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');

/** A `CREATE TABLE … WITH (… external_location = …) AS …` statement. */
export function isCtasWithExternalLocation(sql: string): boolean {
  const text = withoutComments(sql);
  return /^\s*CREATE\s+TABLE\b/i.test(text) && /\bexternal_location\s*=/i.test(text);
}

/**
 * Athena's workgroup rules that Trino, which has no workgroups, does not
 * apply: "If you run a CTAS query that specifies an external_location in a
 * workgroup that enforces a query results location, the query fails with an
 * error message" (Athena, "CREATE TABLE AS"; "Considerations and limitations
 * for CTAS queries" now says the table goes to `tables/<query-id>/` under the
 * results location, which loses it just the same).
 */
export function assertWorkGroupAllows(sql: string, workGroup: string): void {
  if (workGroupEnforces(workGroup) && isCtasWithExternalLocation(sql))
    throw new WorkGroupRuleError(
      workGroup,
      `workgroup ${workGroup} enforces its configuration, so Athena refuses a CTAS with ` +
        `external_location (or writes it under the results location, which expires): ` +
        `set ATHENA_WORKGROUP to the jobs workgroup (logvault-<stage>${JOBS_WORKGROUP_SUFFIX})`,
    );
}
