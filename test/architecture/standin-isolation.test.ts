import { read, sourceFiles } from './source-files';

/**
 * jest runs two files at once on one moto (scripts/test.sh), and loading a
 * stage's templates creates account-wide names: the digest key's alias, IAM
 * roles, log groups, streams. Two files loading the same stage into the same
 * account re-point each other's alias in the middle of a test (it happened in
 * a clean-clone run). So every test file that loads templates does it in an
 * account of its own (useOwnAccount) or under a stage name of its own
 * (uniqueSuffix, as test/support/trino.ts does for Trino, which reads moto as
 * the default account).
 */
describe('test files loading templates onto moto', () => {
  const loaders = sourceFiles().filter(
    (f) =>
      f.startsWith('test/') &&
      !f.startsWith('test/architecture/') &&
      /\bloadTemplates\(/.test(read(f)),
  );

  it('are found', () => {
    expect(loaders.length).toBeGreaterThan(5);
  });

  it.each(loaders)('%s loads them in its own account or under its own stage name', (file) => {
    const text = read(file);
    expect(/\buseOwnAccount\(\)/.test(text) || /\buniqueSuffix\(\)/.test(text)).toBe(true);
  });
});
