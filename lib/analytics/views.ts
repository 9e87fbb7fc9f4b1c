import { Construct } from 'constructs';
import { Aws } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { viewDefinitions, viewTableInput } from '../../core/analytics/views';

export interface AnalyticsViewsProps {
  /** Glue database the views live in, beside the tables they read. */
  readonly databaseName: string;
  /** Created first, so CloudFormation never creates a view before its database. */
  readonly dependsOn?: Construct[];
}

/**
 * The analysts' views as Glue VIRTUAL_VIEW tables, generated at synth from
 * `sql/views/*.sql`: plain CloudFormation, no custom resource, and exactly
 * what Athena would store for `CREATE VIEW`.
 */
export class AnalyticsViews extends Construct {
  /** The view tables by view name. */
  public readonly views: Record<string, glue.CfnTable> = {};

  constructor(scope: Construct, id: string, props: AnalyticsViewsProps) {
    super(scope, id);
    for (const view of viewDefinitions()) {
      const table = new glue.CfnTable(this, view.name, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: props.databaseName,
        tableInput: viewTableInput(view, props.databaseName),
      });
      props.dependsOn?.forEach((d) => table.node.addDependency(d));
      this.views[view.name] = table;
    }
  }
}
