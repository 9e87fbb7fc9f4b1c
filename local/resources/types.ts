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

/**
 * Runs `create`; when it fails because an earlier local load left the
 * resource behind (`exists` says so), runs `update` instead, so the resource
 * ends up as the template declares it.
 */
export async function createOrUpdate(
  create: () => Promise<unknown>,
  exists: (error: unknown) => boolean,
  update: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!exists(error)) throw error;
    await update();
  }
}
