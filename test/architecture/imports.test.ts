import { Layer, importsOf, layerOf, sourceFiles } from './source-files';

/**
 * Imports run one way: core holds the domain and depends on nothing of
 * logvault's; lambdas, cli, local and lib build on core; nothing imports a
 * handler; cli and local never import each other. lib may use core only for
 * names, schemas and environment contracts, so synthesizing loads no SDK.
 */
const MAY_IMPORT: Record<Exclude<Layer, 'test'>, readonly Layer[]> = {
  core: ['core'],
  lambdas: ['core', 'lambdas'],
  lib: ['core', 'lib'],
  cli: ['core', 'lib', 'cli'],
  local: ['core', 'local'],
  bin: ['core', 'lib'],
  scripts: ['core', 'lib'],
  bench: ['core', 'local', 'test', 'bench'],
};

/** What lib reads of core: names, config, contracts, the schemas tables are made from, views. */
const LIB_MAY_USE = [
  'core/naming/',
  'core/config/',
  'core/env/',
  'core/ingest/schemas/',
  'core/analytics/views',
  // Step Functions definitions are declarative, as views are: lib deploys them as they are.
  'core/analytics/daily-workflow/definition',
  'core/audit/data-class',
  'core/sealing/lock-policy',
  'core/sealing/keys',
  'core/time/',
  'core/query/sql',
  'core/template/',
];

const files = sourceFiles();
const crossings = files.flatMap((file) =>
  importsOf(file)
    .filter((i) => i.target !== undefined)
    .map((i) => ({ file, from: layerOf(file), to: layerOf(i.target!), ...i })),
);

describe('import directions', () => {
  it('finds the imports it judges', () => {
    expect(crossings.filter((c) => c.from === 'lib' && c.to === 'core').length).toBeGreaterThan(10);
  });

  it.each(Object.entries(MAY_IMPORT))('%s imports only %j', (layer, allowed) => {
    const wrong = crossings
      .filter((c) => c.from === layer && !allowed.includes(c.to))
      .map((c) => `${c.file} → ${c.target}`);
    expect(wrong).toEqual([]);
  });

  it('nothing outside lambdas/ imports a handler, and no handler imports another', () => {
    const wrong = crossings
      .filter((c) => c.to === 'lambdas' && !c.target!.startsWith('lambdas/runtime/'))
      .filter((c) => c.from !== 'test' && c.file.split('/')[1] !== c.target!.split('/')[1])
      .map((c) => `${c.file} → ${c.target}`);
    expect(wrong).toEqual([]);
  });

  it('core imports no CDK', () => {
    const wrong = files
      .filter((f) => layerOf(f) === 'core')
      .flatMap((f) => importsOf(f).map((i) => `${f} → ${i.specifier}`))
      .filter((line) => /→ (aws-cdk-lib|constructs|cdk-nag)/.test(line));
    expect(wrong).toEqual([]);
  });

  it('lib uses core only for names, config, contracts, schemas and views', () => {
    const wrong = crossings
      .filter((c) => c.from === 'lib' && c.to === 'core')
      .filter((c) => !LIB_MAY_USE.some((p) => c.target!.startsWith(p)))
      .map((c) => `${c.file} → ${c.target}`);
    expect(wrong).toEqual([]);
  });

  it('what lib reaches of core loads no AWS SDK client at synth', () => {
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const i of importsOf(file)) if (i.target && !i.typeOnly) visit(i.target);
    };
    crossings
      .filter((c) => c.from === 'lib' && c.to === 'core' && !c.typeOnly)
      .forEach((c) => visit(c.target!));
    const sdk = [...reached].flatMap((f) =>
      importsOf(f)
        .filter((i) => !i.typeOnly && /^(@aws-sdk\/|trino-client)/.test(i.specifier))
        .map((i) => `${f} → ${i.specifier}`),
    );
    expect(sdk).toEqual([]);
  });
});
