import { METRIC_NAMESPACE, metricDefinitions } from '../../core/naming';
import { LAYERS, layerOf, read, sourceFiles } from './source-files';

/**
 * Every physical name is built in core/naming and nowhere else. A string
 * that starts like one of logvault's names or like an ARN, or spells a
 * metric name or the namespace, is a name being built outside it.
 */
const PATTERNS: [RegExp, string][] = [
  [/[`'"](logvault[-_]|Logvault-)/, 'a logvault resource name'],
  [/[`'"]\/logvault\//, 'a logvault log group'],
  [/[`'"]alias\/logvault/, 'a logvault key alias'],
  [/[`'"]arn:/, 'an ARN'],
  [new RegExp(`['"]${METRIC_NAMESPACE}['"]`), 'the metric namespace'],
  [
    new RegExp(
      `['"](${Object.values(metricDefinitions)
        .map((d) => d.name)
        .join('|')})['"]`,
    ),
    'a metric name',
  ],
];

/** Strings that look like names but are not resources, each with why. */
const NOT_NAMES: Record<string, RegExp> = {
  // The format id written into every digest, not a resource.
  'core/sealing/digest-format.ts': /'logvault-digest\/2'/,
  // An idempotency token derived from the request, not a resource.
  'core/holds/batch-manifest.ts': /`logvault-\$\{digest\.slice\(0, 48\)\}`/,
  // Format ids written into trust files and anchor records, not resources.
  'core/sealing/anchor/anchor-record.ts': /'logvault-anchor\/1'/,
  'core/sealing/anchor/keyring.ts': /'logvault-keyring\/1'/,
  'core/sealing/anchor/transition.ts': /'logvault-key-transition\/1'/,
  'core/sealing/anchor/tsa-trust.ts': /'logvault-tsa-trust\/1'/,
  // A user-metadata key (x-amz-meta-logvault-release) on the published object, not a resource.
  'core/analytics/publication/writer.ts': /'logvault-release'/,
};

/**
 * The rule pack renders the ARN form of any CloudFormation resource type to
 * compare policies with resources; those are AWS's formats, not our names.
 */
const ARN_FORMS_ALLOWED_UNDER = 'lib/rules/';

const withoutComments = (text: string) =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('physical names', () => {
  const files = sourceFiles().filter(
    (f) => (LAYERS as readonly string[]).includes(layerOf(f)) && !f.startsWith('core/naming/'),
  );

  it('scans the source', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('are built only in core/naming', () => {
    const found = files.flatMap((file) =>
      withoutComments(read(file))
        .split('\n')
        .map((line) => (NOT_NAMES[file] ? line.replace(NOT_NAMES[file], '') : line))
        .flatMap((line, i) =>
          PATTERNS.filter(
            ([pattern, what]) =>
              pattern.test(line) &&
              !(what === 'an ARN' && file.startsWith(ARN_FORMS_ALLOWED_UNDER)),
          ).map(([, what]) => `${file}:${i + 1} builds ${what}: ${line.trim()}`),
        ),
    );
    expect(found).toEqual([]);
  });

  it('catches a name built outside the naming module', () => {
    const line = 'const table = `logvault-${stage}-${account}-holds`;';
    expect(PATTERNS.some(([pattern]) => pattern.test(line))).toBe(true);
    expect(
      PATTERNS.some(([pattern]) => pattern.test("new Metric({ namespace: 'Logvault' })")),
    ).toBe(true);
  });
});
