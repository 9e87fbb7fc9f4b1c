import type { z } from 'zod';
import type { FunctionName } from '../naming';
import { aggregateDailyEnvironment } from './aggregate-daily';
import { holdApplyEnvironment, holdReleaseEnvironment, holdStatusEnvironment } from './holds';
import { ingestTransformEnvironment } from './ingest-transform';
import { retentionMonitorEnvironment } from './retention-monitor';
import { digestEnvironment, reconcilerEnvironment, sealEnvironment } from './sealing';

/**
 * The environment contract of every function: the construct builds it
 * (lib/compute), the handler parses it (lambdas/), the CLI's --local parses
 * it too. test/architecture checks each synthesized function against it.
 */
export const functionEnvironments = {
  seal: sealEnvironment,
  'seal-reconciler': reconcilerEnvironment,
  'seal-digest': digestEnvironment,
  'hold-apply': holdApplyEnvironment,
  'hold-release': holdReleaseEnvironment,
  'hold-status': holdStatusEnvironment,
  'aggregate-daily': aggregateDailyEnvironment,
  'retention-monitor': retentionMonitorEnvironment,
  'ingest-transform': ingestTransformEnvironment,
} as const satisfies Record<FunctionName, z.ZodObject>;
