import { CreatedResource, ResolveContext } from '../../core/template/intrinsics';
import { AwsClients } from '../aws-clients';

/** Creates one resource type on the stand-ins from its resolved template properties. */
export type ResourceCreator = (
  logicalId: string,
  properties: Record<string, unknown>,
  env: {
    clients: AwsClients;
    ctx: ResolveContext;
    /** Runs `step` once every resource of the stack exists (for settings that need their peers). */
    defer: (step: () => Promise<unknown>) => void;
  },
) => Promise<CreatedResource>;
