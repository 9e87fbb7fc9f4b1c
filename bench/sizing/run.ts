/**
 * Prints the sizing tables of docs/sizing.md: the measured inputs (line
 * sizes, GZIP ratio, packing, ACME lines per certificate: a few seconds on
 * the generator) and every column computed from them, the prod stage's
 * configuration and AWS's cited quotas and prices.
 *
 *   npx tsx bench/sizing/run.ts [--stage prod]
 *
 * Paste the output over the block between the sizing markers in
 * docs/sizing.md (then `npx prettier --write docs/sizing.md`);
 * test/local/sizing-doc.test.ts fails until the two agree.
 */
import { parseArgs } from 'node:util';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { measure } from './measure';
import { sizingMarkdown } from './table';

const { values } = parseArgs({ options: { stage: { type: 'string', default: 'prod' } } });
console.log(sizingMarkdown(measure(), loadStageConfig(values.stage)));
