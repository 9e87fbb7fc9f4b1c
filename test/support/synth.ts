import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { StageConfig } from '../../core/config/stage-config';
import { stages } from '../../core/config/stages';
import type { CfnTemplate } from '../../core/template/types';
import type { SynthesizedStage } from '../../lib/synth';
import { renameStage } from './stage-rename';

export { promisesOf } from '../../core/audit/promises';
export type { SynthesizedStage } from '../../lib/synth';

export const stageNames = Object.keys(stages);

const root = resolve(__dirname, '../..');
/** Outside what the digest reads (with every .md file): tests, docs, benches, generated or installed trees. */
const notSynthInputs = new Set([
  '.git',
  '.run',
  '.venv',
  'bench',
  'cdk.out',
  'coverage',
  'docs',
  'node_modules',
  'test',
]);
const cacheDir = process.env.LOGVAULT_SYNTH_CACHE ?? join(root, '.run', 'synth-cache');

/**
 * Content hash of everything a synth can read (lib, core, lambdas, sql,
 * trust, bin, config files and package-lock.json), plus the CDK_ variables
 * the app may consult: a cached template is reused only while every input
 * is byte for byte the one it was made from.
 */
function synthInputsDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string, skipped: ReadonlySet<string>) => {
    const entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => !skipped.has(e.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, new Set());
      else if (entry.isFile() && !entry.name.endsWith('.md'))
        hash.update(`${path}\0`).update(readFileSync(path));
    }
  };
  walk(root, notSynthInputs);
  const cdkEnv = Object.entries(process.env).filter(([k]) => k.startsWith('CDK_'));
  return hash.update(JSON.stringify(cdkEnv.sort())).digest('hex');
}

let digest: string | undefined;
const inThisFile = new Map<string, SynthesizedStage>();

function cachePath(stage: string | StageConfig): string {
  digest ??= synthInputsDigest();
  const key = createHash('sha256').update(digest).update(JSON.stringify(stage)).digest('hex');
  return join(cacheDir, `${key}.json`);
}

function readCached(path: string): Record<string, CfnTemplate> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, CfnTemplate>;
  } catch {
    return undefined;
  }
}

function synthesizeAndStore(stage: string | StageConfig, path: string): SynthesizedStage {
  // Loaded only on a miss: aws-cdk-lib costs seconds to load in every jest file that imports it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeStage } = require('../../lib/synth') as typeof import('../../lib/synth');
  const synthesized = synthesizeStage(stage);
  mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed, so a parallel reader sees the whole file or none.
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(synthesized.templates));
  renameSync(partial, path);
  return synthesized;
}

/**
 * The stage as `cdk synth` makes it (lib/synth.ts, cdk-nag packs included),
 * synthesized once per configuration and source tree: later calls, in this
 * jest file or any other, read the templates from the cache under
 * .run/synth-cache (`npm test` fills it beside lint with
 * test/support/synth-every-stage.ts).
 */
export function synthStage(stage: string | StageConfig): SynthesizedStage {
  const path = cachePath(stage);
  const known = inThisFile.get(path);
  if (known !== undefined) return known;
  const templates = readCached(path);
  const config = typeof stage === 'string' ? loadStageConfig(stage) : stage;
  const synthesized =
    templates === undefined ? synthesizeAndStore(stage, path) : { config, templates };
  inThisFile.set(path, synthesized);
  return synthesized;
}

/** The suffix of the one stage every per-file stage name is renamed from. */
export const RENAMED_FROM_SUFFIX = 'zzz';

/**
 * Stage `base` under its own name `<base>-<suffix>`, as its own synth would
 * make it, for a test file that needs names no other file uses: synthesized
 * once per run under `<base>-zzz` (a synth costs about 15 s of CPU) and
 * renamed. test/local/stage-rename.test.ts checks the rename against a synth.
 */
export function synthStageNamed(base: StageConfig, suffix: string): SynthesizedStage {
  const from = `${base.stage}-${RENAMED_FROM_SUFFIX}`;
  const stage = `${base.stage}-${suffix}`;
  const { templates } = synthStage({ ...base, stage: from });
  return { config: { ...base, stage }, templates: renameStage(templates, from, stage) };
}
