import { loadStageConfig } from '../../core/config/load-stage-config';
import { writeStageAssembly } from '../../lib/synth';
import { RENAMED_FROM_SUFFIX, stageNames, synthStage, synthStageNamed } from './synth';

// `npm test`'s one synth step, in one process so aws-cdk-lib and the app's
// code load once: every configured stage's cloud assembly into
// <assemblies>/<stage>, as `cdk synth -q -c stage=<stage> -o <dir>` writes it
// (what cfn-lint and the scenario read; a cdk-nag finding fails it), then the
// jest synth cache (test/support/synth.ts), so jest files read templates
// instead of each synthesizing them. A cache already warm costs a digest.
// Usage: npx tsx test/support/synth-every-stage.ts [--assemblies cdk.out]
const timed = (label: string, synth: () => void) => {
  const started = Date.now();
  synth();
  console.log(`${label} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
};

const flag = process.argv.indexOf('--assemblies');
const assemblies = flag === -1 ? undefined : process.argv[flag + 1];
if (flag !== -1 && !assemblies) throw new Error('--assemblies needs a directory, e.g. cdk.out');
if (assemblies !== undefined)
  for (const stage of stageNames)
    timed(`stage ${stage}: synthesized into ${assemblies}/${stage}, cdk-nag clean,`, () =>
      writeStageAssembly(stage, `${assemblies}/${stage}`),
    );
for (const stage of stageNames) timed(`stage ${stage}: templates cached`, () => synthStage(stage));
// The Trino suites each load dev under a name of their own, renamed from this one.
timed(`stage dev-${RENAMED_FROM_SUFFIX}: templates cached`, () =>
  synthStageNamed(loadStageConfig('dev'), RENAMED_FROM_SUFFIX),
);
