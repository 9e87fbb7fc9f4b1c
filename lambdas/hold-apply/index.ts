import type { Context } from 'aws-lambda';
import { applyEventSchema, parseOrReject } from '../../core/holds/case';
import { applyHold } from '../../core/holds/apply';
import { holdInvocation } from '../runtime/holds';

/**
 * Applies a legal-hold case. Stops starting new objects a minute before the
 * timeout and answers `in-progress`; invoking it again with the same case
 * continues where it stopped.
 */
export const handler = (event: unknown, context: Context) =>
  holdInvocation('apply', event, context, (deps) =>
    applyHold(deps, parseOrReject(applyEventSchema, event)),
  );
