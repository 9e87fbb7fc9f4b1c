/**
 * Deterministic, realistic log traffic for local runs, tests and benchmarks.
 * The same options always yield the same lines, so a failing test or a
 * benchmark figure can be reproduced exactly from its seed.
 */
export interface TrafficOptions {
  /** PRNG seed; same seed and options → same lines. */
  seed: number;
  /** First timestamp (inclusive). */
  start: Date;
  /** Last timestamp (exclusive). */
  end: Date;
  /** Number of lines to generate; timestamps are spread over [start, end) in order. */
  lines: number;
  /** Distinct certificates asked about (OCSP) or accounts (ACME). @default 10000 */
  certificates?: number;
  /** Distinct client IP addresses. @default 5000 */
  clients?: number;
  /** Zipf exponent of certificate popularity: a few certificates get most requests. @default 1.1 */
  zipfExponent?: number;
}
