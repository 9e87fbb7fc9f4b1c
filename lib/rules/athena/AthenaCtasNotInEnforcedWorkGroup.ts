import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { declaredStatements, enforces, resultsArnPrefix, workGroupsOf } from '../support/athena';
import { coversAction, identityStatements, roleOf } from '../support/iam';

/**
 * Without a declaration, what the role may do gives CTAS with
 * `external_location` away: it may create Glue tables through the workgroup
 * and write S3 objects outside the workgroup's results location.
 */
function looksLikeCtasElsewhere(model: AppModel, role: ModelResource, workGroup: ModelResource) {
  const statements = identityStatements(model, role).filter((s) => s.effect === 'Allow');
  const createsTables = statements.some((s) => coversAction(s, 'glue:CreateTable'));
  const results = resultsArnPrefix(model, workGroup);
  const writesElsewhere = statements.some(
    (s) =>
      coversAction(s, 's3:PutObject') &&
      s.resources.some((p) => results === undefined || !p.startsWith(results)),
  );
  return createsTables && writesElsewhere;
}

/**
 * In a workgroup that overrides client-side settings, Athena refuses a CTAS
 * that names its own location: "If you run a CTAS query that specifies an
 * external_location in a workgroup that enforces a query results location,
 * the query fails with an error message." (Amazon Athena User Guide, "CREATE
 * TABLE AS"; later editions of "Considerations and limitations for CTAS
 * queries" say the table is written under the workgroup's results location
 * instead, which is no better). A function declares what it runs with
 * metadata `logvault:athenaStatements` (`{ workGroup, statements: [...] }`);
 * without it, a role that may create Glue tables and write S3 outside the
 * results location through an enforcing workgroup is taken to run such a
 * CTAS. Trino, which has no workgroups, accepts the statement.
 */
export const AthenaCtasNotInEnforcedWorkGroup: AwsRule = {
  name: 'AthenaCtasNotInEnforcedWorkGroup',
  level: NagMessageLevel.ERROR,
  info: 'This function runs (or, by its permissions, appears to run) CTAS with external_location in an Athena workgroup that enforces its configuration: Athena fails the query or writes the table under the results location.',
  doc: {
    title: 'CREATE TABLE AS (Amazon Athena)',
    url: 'https://docs.aws.amazon.com/athena/latest/ug/create-table-as.html',
    sentence:
      'If you run a CTAS query that specifies an external_location in a workgroup that enforces a query results location, the query fails with an error message.',
  },
  appliesTo: ['AWS::Lambda::Function'],
  check: (fn, model) => {
    const role = roleOf(model, fn.properties.Role, fn);
    const workGroups = role ? workGroupsOf(model, role).filter(enforces) : [];
    if (!role || workGroups.length === 0) return NOT_APPLICABLE;
    const declared = declaredStatements(fn);
    if (declared) {
      const named = workGroups.filter(
        (wg) =>
          declared.workGroup === undefined ||
          model.render(wg.properties.Name, wg) === declared.workGroup,
      );
      return verdict(named.length === 0 || !declared.kinds.includes('ctas-external-location'));
    }
    return verdict(!workGroups.some((wg) => looksLikeCtasElsewhere(model, role, wg)));
  },
};
