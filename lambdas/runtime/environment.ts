import type { z } from 'zod';
import { functionEnvironments } from '../../core/env';
import { parseEnvironment } from '../../core/env/parse';
import type { FunctionName } from '../../core/naming';

/** The function's environment, parsed against its contract (core/env); throws naming what is wrong. */
export function environmentOf<F extends FunctionName>(
  fn: F,
): z.output<(typeof functionEnvironments)[F]> {
  return parseEnvironment(functionEnvironments[fn], process.env, fn) as z.output<
    (typeof functionEnvironments)[F]
  >;
}
