import type { Context } from 'aws-lambda';
import { parseOrReject, releaseEventSchema } from '../../core/holds/case';
import { releaseHold } from '../../core/holds/release';
import { holdInvocation } from '../runtime/holds';

/** Releases a legal-hold case: lifts holds no other case needs, or deletes the OCSP extract. */
export const handler = (event: unknown, context: Context) =>
  holdInvocation('release', event, context, (deps) =>
    releaseHold(deps, parseOrReject(releaseEventSchema, event)),
  );
