/**
 * Parser benchmark: lines/s on one core for each source format, against the
 * existing JSON path (`validateLine`) on the same traffic, in one run; and
 * the heap the parsers' bounded caches hold. OCSP rows include the DER
 * decoding, measured twice: uncached (every request new) and traffic-shaped
 * (requests repeat as the seeded Zipf traffic makes them; the rate is printed).
 * It prints whether the DER rows stay within issue 18's 3x of the JSON path.
 *
 *   npx tsx bench/parsers/run.ts
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { crc32 } from 'node:zlib';
import { createParser, LineParser } from '../../core/ingest/formats';
import { DECODE_CACHE_ENTRIES } from '../../core/ingest/formats/ocsp-request';
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
  /** True for rows that decode DER: the ones the 3x target applies to. */
  readonly der?: boolean;
}

/** Issue 18: the DER path should stay within 3x of the JSON path. */
const DER_TARGET = 3;

/** Lines/s of the best pass; each pass reads its own input (one pass per input). */
function measure(
  inputs: readonly (readonly string[])[],
  run: (line: string, i: number) => boolean,
): number {
  let best = 0;
  for (const lines of inputs) {
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

const PASSES = 3;
const OCSP_LINES = 20_000;
let nextSeed = 100;
/** A fresh seed per input: its certificates (or, all distinct, its serials) are new to the decode cache. */
const freshInput = (distinct: boolean) => {
  const seed = nextSeed++;
  return ocspLines(OCSP_LINES, boulder, distinct ? { distinct: seed } : { traffic: seed });
};

/**
 * Each pass reads a fresh input after a warm-up pass (JIT) on other,
 * never-repeating requests, so nothing of the measured input is cached
 * beforehand. Traffic-shaped input then hits the decode cache only where a
 * request repeats within the input; all-distinct input never hits it.
 */
function ocspRows(label: string, distinct: boolean): Row[] {
  const inputs = () => Array.from({ length: PASSES }, () => freshInput(distinct));
  const json = measure([freshInput(true).json, ...inputs().map((i) => i.json)], jsonPath('ocsp'));
  const rows: Row[] = [
    { name: `JSON (validateLine) ${label}`, linesPerSecond: json, baseline: json },
  ];
  for (const c of ocspCases) {
    const parser = c.parser();
    const linesPerSecond = measure(
      [c.lines(freshInput(true)), ...inputs().map(c.lines)],
      viaParser(parser),
    );
    rows.push({ name: `${c.name} ${label}`, linesPerSecond, baseline: json, der: true });
  }
  return rows;
}

/** Share of lines whose OCSP request already appeared earlier in the same traffic-shaped input. */
function repetitionRate(): number {
  const lines = freshInput(false).combined;
  return 1 - new Set(lines.map((line) => line.split('"')[1])).size / lines.length;
}

function acmeRows(lines: number): Row[] {
  const input = acmeLines(lines, boulder);
  const json = measure([input.json, input.json, input.json], jsonPath('acme'));
  const wfe = measure([input.wfe, input.wfe, input.wfe], viaParser(createParser('boulder')));
  return [
    { name: 'JSON (validateLine) ACME', linesPerSecond: json, baseline: json },
    { name: 'boulder WFE', linesPerSecond: wfe, baseline: json },
  ];
}

/** Heap the parsers' bounded caches hold when full: as many distinct requests parsed as the cache keeps. */
function fullCachesMiB(): number {
  const before = heapMiB();
  const parse = viaParser(createParser('combined', { responderId: 'w', region: 'r' }));
  ocspLines(DECODE_CACHE_ENTRIES, boulder, { distinct: 99 }).combined.forEach((line) =>
    parse(line),
  );
  return heapMiB() - before;
}

function verdict(rows: readonly Row[], label: string): string {
  const worst = Math.max(
    ...rows
      .filter((r) => r.der && r.name.endsWith(label))
      .map((r) => r.baseline / r.linesPerSecond),
  );
  const meets = worst <= DER_TARGET ? 'meets' : 'MISSES';
  return `DER rows ${label}: at worst ${worst.toFixed(2)}x the JSON path's cost, ${meets} the ${DER_TARGET}x target`;
}

function main() {
  const caches = fullCachesMiB();
  const repetition = repetitionRate();
  const rows = [
    // Traffic-shaped: 10,000 certificates per seed, Zipf popularity, as local/traffic generates.
    ...ocspRows('(traffic)', false),
    // Uncached: every request a certificate never seen, so every line decodes DER afresh.
    ...ocspRows('(all distinct)', true),
    ...acmeRows(30_000),
  ];
  console.log('| input | lines/s (1 core) | JSON path / this (x slower) |');
  console.log('| --- | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${Math.round(r.linesPerSecond).toLocaleString('en-US')} | ${(r.baseline / r.linesPerSecond).toFixed(2)} |`,
    );
  console.log(`\n${verdict(rows, '(all distinct)')} (uncached: every request decoded)`);
  console.log(
    `${verdict(rows, '(traffic)')} (${(repetition * 100).toFixed(1)}% of its ${OCSP_LINES.toLocaleString('en-US')} lines repeat an earlier request)`,
  );
  const memory = process.memoryUsage();
  console.log(
    `\nDecode cache when full (${DECODE_CACHE_ENTRIES.toLocaleString('en-US')} requests): ${caches.toFixed(1)} MiB of heap`,
  );
  console.log(
    `RSS ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB at the end (node ${process.version})`,
  );
}

main();
