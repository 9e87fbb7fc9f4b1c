import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runScenario } from './scenario/run';

/**
 * The main job (`npm start`) and the end-to-end test of `npm test`: the
 * scenario of local/scenario/run.ts, one step per file in local/scenario/steps/.
 */
if (require.main === module) {
  const { values } = parseArgs({
    options: {
      assembly: { type: 'string', default: 'cdk.out/dev' },
      stage: { type: 'string', default: 'dev' },
      lines: { type: 'string', default: '300000' },
      facts: { type: 'string' },
    },
  });
  const lines = Number(values.lines);
  if (!Number.isInteger(lines) || lines < 1000) {
    console.error(`--lines must be a whole number of at least 1000, got ${values.lines}`);
    process.exit(2);
  }
  runScenario({
    assembly: values.assembly!,
    stage: values.stage!,
    lines,
    print: (line) => console.log(line),
  })
    .then((result) => {
      if (values.facts) writeFileSync(values.facts, JSON.stringify(result.facts, null, 2));
    })
    .catch((error: Error) => {
      console.error(`scenario failed: ${error.message}`);
      process.exitCode = 1;
    });
}
