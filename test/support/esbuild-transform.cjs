// Jest transformer: TypeScript to CommonJS with esbuild, file by file.
//
// Why not ts-jest: type-checking is `npm run build`'s job (tsc, beside the
// tests), and tsconfig's isolatedModules already makes every file compile on
// its own. ts-jest then only transpiles, yet loads the TypeScript compiler in
// each worker and takes about 10 ms per file; on a fresh clone every file is a
// cache miss. esbuild does the same in well under 1 ms. No test uses
// jest.mock, the one thing that needs ts-jest's hoisting.
const { createHash } = require('node:crypto');
const { transformSync, version } = require('esbuild');

/** What tsconfig.json asks of the emitted JavaScript. */
const options = {
  loader: 'ts',
  format: 'cjs',
  target: 'es2022',
  sourcemap: 'external',
  sourcesContent: false,
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
  // import() becomes require(), as tsc emits it for CommonJS: jest's module
  // sandbox runs a native import() only with --experimental-vm-modules.
  supported: { 'dynamic-import': false },
};

/** Everything besides a file's path and text that decides its output. */
const transformer = `${version}\0${JSON.stringify(options)}`;

module.exports = {
  process(source, path) {
    const { code, map } = transformSync(source, { ...options, sourcefile: path });
    return { code, map };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update(`${transformer}\0${path}\0`).update(source).digest('hex');
  },
};
