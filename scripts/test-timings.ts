import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

// Prints where `npm test` spent its time: one row per step from the file
// scripts/step-timing.sh writes (start and end as offsets from the run's
// start, so steps that ran side by side show overlapping spans), then the
// slowest jest files and how much of jest's wall time they overlapped.
//   npx tsx scripts/test-timings.ts .run/test-timings.tsv [.run/jest-results.json]

interface StepRow {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly status: string;
}

interface JestFileResult {
  readonly name: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly assertionResults: readonly unknown[];
}

const [timingsPath, jestPath] = process.argv.slice(2);
const lines = readFileSync(timingsPath, 'utf8').trim().split('\n');
const runStart = Number(lines.find((l) => l.startsWith('run\t'))?.split('\t')[1]);
const steps: StepRow[] = lines
  .filter((l) => l.startsWith('step\t'))
  .map((l) => {
    const [, name, start, end, status] = l.split('\t');
    return { name, start: Number(start), end: Number(end), status };
  })
  .sort((a, b) => a.start - b.start);

const seconds = (s: number) => s.toFixed(1).padStart(7);
const width = Math.max(4, ...steps.map((s) => s.name.length));
console.log('\n== where the time went (wall seconds; overlapping spans ran side by side)');
console.log(`${'step'.padEnd(width)}    from      to    took  status`);
for (const s of steps) {
  const status = s.status === '0' ? 'ok' : `exit ${s.status}`;
  console.log(
    `${s.name.padEnd(width)} ${seconds(s.start - runStart)} ${seconds(s.end - runStart)} ${seconds(s.end - s.start)}  ${status}`,
  );
}
const runEnd = Math.max(runStart, ...steps.map((s) => s.end));
console.log(
  `${'total'.padEnd(width)} ${seconds(0)} ${seconds(runEnd - runStart)} ${seconds(runEnd - runStart)}`,
);

if (jestPath && existsSync(jestPath)) {
  const results = JSON.parse(readFileSync(jestPath, 'utf8')) as {
    readonly testResults: readonly JestFileResult[];
  };
  const files = results.testResults
    .map((f) => ({
      name: relative(process.cwd(), f.name),
      took: (f.endTime - f.startTime) / 1000,
      tests: f.assertionResults.length,
    }))
    .sort((a, b) => b.took - a.took);
  const sum = files.reduce((total, f) => total + f.took, 0);
  const first = Math.min(...results.testResults.map((f) => f.startTime));
  const last = Math.max(...results.testResults.map((f) => f.endTime));
  const wall = (last - first) / 1000;
  console.log(
    `\njest: ${files.length} files, ${sum.toFixed(0)} s of file time in ${wall.toFixed(0)} s of wall time ` +
      `(${(sum / Math.max(wall, 1)).toFixed(2)} files at once on average); slowest:`,
  );
  for (const f of files.slice(0, 12)) {
    console.log(`${seconds(f.took)}  ${String(f.tests).padStart(3)} tests  ${f.name}`);
  }
}
