import { z } from 'zod';

/** What LoggedFunction gives every function, before its own variables. */
export const baseEnvironment = z.object({
  /** Names the handler in logs and metrics (Powertools). */
  POWERTOOLS_SERVICE_NAME: z.string().min(1),
  LOGVAULT_STAGE: z.string().min(1),
});
export const BASE_VARIABLES = ['POWERTOOLS_SERVICE_NAME', 'LOGVAULT_STAGE'] as const;
