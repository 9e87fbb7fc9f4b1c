/**
 * Parser benchmark: lines/s on one core for each source format, against the
 * existing JSON path (`validateLine`) on the same traffic, in one run; and
 * the heap the parsers' bounded caches hold. OCSP rows include the DER decoding.
 *
 *   npx tsx bench/parsers/run.ts
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { crc32 } from 'node:zlib';
import { createParser, LineParser } from '../../core/ingest/formats';
import { validateLine } from '../../core/ingest/shipper/validate';
import { LogType } from '../../core/ingest/schemas';
import { acmeLines, CLOUDFRONT_FIELDS, OcspLines, ocspLines } from './inputs';

const MAX_BYTES = 1_024_000;

/** A Boulder stdout line around a message (checksum as Boulder writes it). */
function boulder(message: string): string {
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32(message));
  return `2026-11-28T10:00:00.123456+00:00Z host1 dc1 boulder[1]: 6 boulder ${sum.toString('base64url')} ${message}`;
}

interface Row {
  readonly name: string;
  readonly linesPerSecond: number;
  readonly baseline: number;
}

/**
 * Lines/s of the best of `passes` passes. Traffic-shaped input takes three
 * (the first warms the JIT and the decode cache, as real traffic would); the
 * all-distinct input takes one pass over lines never seen, after a warm-up on
 * other lines, so every OCSP request is decoded afresh.
 */
function measure(
  lines: readonly string[],
  run: (line: string, i: number) => boolean,
  passes = 3,
): number {
  let best = 0;
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    for (let i = 0; i < lines.length; i++)
      if (!run(lines[i], i)) throw new Error(`bench line ${i} did not parse: ${lines[i]}`);
    best = Math.max(best, lines.length / ((performance.now() - started) / 1000));
  }
  return best;
}

/** The end of the benches' traffic window (bench/parsers/inputs.ts): every line plausible. */
const INGESTED_AT = Date.parse('2026-11-29T00:00:00Z');

const jsonPath = (type: LogType) => (line: string, i: number) => {
  const line_ = { lineNo: i, bytes: Buffer.from(line) };
  const result = validateLine(type, line_, MAX_BYTES, { source: 'bench', now: INGESTED_AT });
  return result !== undefined && 'accepted' in result;
};

const viaParser = (parser: LineParser) => (line: string) => parser.parse(line).kind === 'records';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

interface Case {
  readonly name: string;
  readonly parser: () => LineParser;
  readonly lines: (input: OcspLines) => string[];
}

const cloudfrontParser = () => {
  const parser = createParser('cloudfront', { region: 'global' });
  parser.parse(CLOUDFRONT_FIELDS);
  return parser;
};

const ocspCases: readonly Case[] = [
  {
    name: 'combined + DER',
    parser: () => createParser('combined', { responderId: 'w', region: 'r' }),
    lines: (i) => i.combined,
  },
  { name: 'cloudfront + DER', parser: cloudfrontParser, lines: (i) => i.cloudfront },
  {
    name: 'boulder OCSP + DER',
    parser: () => createParser('boulder'),
    lines: (i) => i.boulderResponder,
  },
];

/**
 * Traffic-shaped input: three passes over the same lines. All-distinct input:
 * each parser gets its own never-seen certificates (the decode cache is
 * shared), one pass after a warm-up on other lines.
 */
function ocspRows(label: string, distinct: boolean): Row[] {
  const lineCount = distinct ? 20_000 : 60_000;
  const input = (seed: number) => ocspLines(lineCount, boulder, distinct ? seed : undefined);
  const passes = distinct ? 1 : 3;
  const jsonInput = input(1);
  if (distinct) measure(input(2).json, jsonPath('ocsp'));
  const json = measure(jsonInput.json, jsonPath('ocsp'), passes);
  const rows: Row[] = [
    { name: `JSON (validateLine) ${label}`, linesPerSecond: json, baseline: json },
  ];
  ocspCases.forEach((c, n) => {
    const lines = c.lines(input(10 + 2 * n));
    const warmUp = distinct ? c.lines(input(11 + 2 * n)) : [];
    const parser = c.parser();
    measure(warmUp, viaParser(parser), 1);
    const linesPerSecond = measure(lines, viaParser(parser), passes);
    rows.push({ name: `${c.name} ${label}`, linesPerSecond, baseline: json });
  });
  return rows;
}

function acmeRows(lines: number): Row[] {
  const input = acmeLines(lines, boulder);
  const json = measure(input.json, jsonPath('acme'));
  const wfe = measure(input.wfe, viaParser(createParser('boulder')));
  return [
    { name: 'JSON (validateLine) ACME', linesPerSecond: json, baseline: json },
    { name: 'boulder WFE', linesPerSecond: wfe, baseline: json },
  ];
}

/** Heap the parsers' bounded caches hold when full: 50,000 distinct requests parsed, inputs dropped. */
function fullCachesMiB(): number {
  const before = heapMiB();
  const parse = viaParser(createParser('combined', { responderId: 'w', region: 'r' }));
  ocspLines(50_000, boulder, 99).combined.forEach((line) => parse(line));
  return heapMiB() - before;
}

function main() {
  const caches = fullCachesMiB();
  const rows = [
    // Traffic-shaped: 10,000 certificates, Zipf popularity, as local/traffic generates.
    ...ocspRows('(traffic)', false),
    // Worst case: every request a certificate never seen, so every line decodes DER afresh.
    ...ocspRows('(all distinct)', true),
    ...acmeRows(30_000),
  ];
  console.log('| input | lines/s (1 core) | JSON path / this (x slower) |');
  console.log('| --- | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${Math.round(r.linesPerSecond).toLocaleString('en-US')} | ${(r.baseline / r.linesPerSecond).toFixed(2)} |`,
    );
  const memory = process.memoryUsage();
  console.log(
    `\nParser caches when full (50,000 decoded requests): ${caches.toFixed(1)} MiB of heap`,
  );
  console.log(
    `RSS ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB at the end (node ${process.version})`,
  );
}

main();
