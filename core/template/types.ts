/** A CloudFormation template as logvault reads it: its resources, by logical id. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
}
