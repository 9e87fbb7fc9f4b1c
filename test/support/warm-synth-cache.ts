import { loadStageConfig } from '../../core/config/load-stage-config';
import { RENAMED_FROM_SUFFIX, stageNames, synthStage, synthStageNamed } from './synth';

// Fills the synth cache (test/support/synth.ts) with every configured stage,
// so jest files read templates instead of each synthesizing them. `npm test`
// runs it beside lint and type-check; a cache already warm costs a digest.
const timed = (label: string, synth: () => void) => {
  const started = Date.now();
  synth();
  console.log(`${label}: templates cached in ${((Date.now() - started) / 1000).toFixed(1)}s`);
};
for (const stage of stageNames) timed(`stage ${stage}`, () => synthStage(stage));
// The Trino suites each load dev under a name of their own, renamed from this one.
timed(`stage dev-${RENAMED_FROM_SUFFIX}`, () =>
  synthStageNamed(loadStageConfig('dev'), RENAMED_FROM_SUFFIX),
);
