import { JOBS_WORKGROUP_SUFFIX } from './names';

/**
 * Whether each kind of logvault workgroup overrides client-side settings
 * (`EnforceWorkGroupConfiguration`). lib/analytics/catalog.ts builds the
 * workgroups from this, and the local Trino runner applies Athena's rules
 * with it, so both sides agree by construction.
 *
 * Jobs do not enforce: in an enforcing workgroup Athena writes a CTAS table
 * under the results location (`tables/<query-id>/`, a bucket that expires
 * after a day) or refuses `external_location`, and the jobs must write the
 * aggregates and investigation buckets. The job roles' IAM limits where
 * they can write instead.
 */
export const WORKGROUP_ENFORCES = { analysts: true, jobs: false } as const;

/**
 * Whether the workgroup of that name enforces its configuration: a jobs
 * workgroup does not; any other, like Athena's default, does.
 */
export function workGroupEnforces(name: string): boolean {
  return name.endsWith(JOBS_WORKGROUP_SUFFIX)
    ? WORKGROUP_ENFORCES.jobs
    : WORKGROUP_ENFORCES.analysts;
}
