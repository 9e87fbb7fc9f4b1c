import type { TrafficOptions } from './options';

/** sfc32: small, fast, good enough statistically and reproducible across platforms. */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: they correlate with the seed.
  for (let i = 0; i < 15; i++) next();
  return next;
}

export type Rng = () => number;

export const pick = <T>(rng: Rng, items: readonly T[]): T =>
  items[Math.floor(rng() * items.length)];

/** Picks from [value, weight] pairs. */
export function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return table[table.length - 1][0];
}

export const hex = (rng: Rng, chars: number) =>
  Array.from({ length: chars }, () => Math.floor(rng() * 16).toString(16)).join('');

export const base64url = (rng: Rng, chars: number) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < chars; i++) out += alphabet[Math.floor(rng() * 64)];
  return out;
};

/** Sampler of ranks 0..n-1 with P(k) ∝ 1/(k+1)^s, by binary search in the CDF. */
export function zipf(n: number, s: number): (rng: Rng) => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  return (rng) => {
    const target = rng() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Client addresses: mostly IPv4 from public-looking ranges, about a fifth IPv6. */
export function clientPool(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => {
    if (rng() < 0.2) {
      const groups = Array.from({ length: 4 }, () => Math.floor(rng() * 0xffff).toString(16));
      return `2a0${Math.floor(rng() * 10)}:${groups.join(':')}::${Math.floor(rng() * 0xfff).toString(16)}`;
    }
    const first = pick(rng, [24, 31, 45, 62, 77, 81, 91, 103, 151, 176, 185, 203]);
    return `${first}.${Math.floor(rng() * 256)}.${Math.floor(rng() * 256)}.${1 + Math.floor(rng() * 254)}`;
  });
}

/** Timestamps spread evenly over [start, end) with jitter, strictly in order. */
export function* timestamps(rng: Rng, o: TrafficOptions): Generator<string> {
  const start = o.start.getTime();
  const step = (o.end.getTime() - start) / o.lines;
  if (!(step > 0) && o.lines > 0) throw new Error('traffic: end must be after start');
  for (let i = 0; i < o.lines; i++) {
    yield new Date(Math.floor(start + (i + rng()) * step)).toISOString();
  }
}
