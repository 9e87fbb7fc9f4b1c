import { z } from 'zod';
import { DailyJobTarget } from '../daily-job';
import {
  WorkflowDeps,
  WorkflowResult,
  WorkflowState,
  finishStep,
  planDailyWorkflow,
  startStep,
  workflowResult,
  workflowStateSchema,
} from './workflow';

/** What the workflow (definition.ts) hands the function in each phase. */
export const workflowEventSchema = z.discriminatedUnion('phase', [
  z.object({
    phase: z.literal('plan'),
    input: z.object({
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      /** When the schedule fired (EventBridge Scheduler's <aws.scheduler.scheduled-time>). */
      scheduledTime: z.string().datetime().optional(),
    }),
  }),
  z.object({ phase: z.literal('start'), state: workflowStateSchema }),
  z.object({ phase: z.literal('finish'), state: workflowStateSchema }),
  z.object({ phase: z.literal('report'), state: workflowStateSchema }),
]);
export type WorkflowEvent = z.infer<typeof workflowEventSchema>;

/** Runs one phase; each returns without waiting on the engine. */
export async function runWorkflowPhase(
  event: WorkflowEvent,
  deps: WorkflowDeps & { readonly now: Date },
  target: DailyJobTarget,
): Promise<WorkflowState | WorkflowResult> {
  switch (event.phase) {
    case 'plan':
      return planDailyWorkflow(event.input, deps.now, target);
    case 'start':
      return startStep(event.state, deps, target);
    case 'finish':
      return finishStep(event.state, deps, target);
    case 'report':
      return workflowResult(event.state, target);
  }
}
