import { stageNames, synthStage } from './synth';

// Fills the synth cache (test/support/synth.ts) with every configured stage,
// so jest files read templates instead of each synthesizing them. `npm test`
// runs it beside lint and type-check; a cache already warm costs a digest.
for (const stage of stageNames) {
  const started = Date.now();
  synthStage(stage);
  console.log(`stage ${stage}: templates cached in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
