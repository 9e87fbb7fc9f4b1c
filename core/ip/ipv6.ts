import { parseIpv4 } from './ipv4';

/**
 * IPv6 text in: any RFC 4291 §2.2 form (hex groups of one to four digits in
 * either case, one `::`, a trailing dotted IPv4). IPv6 text out: RFC 5952
 * §4 (lowercase, no leading zeros, the longest run of two or more zero groups
 * compressed, the first such run on a tie, a lone zero group never compressed).
 */

const GROUPS = 8;

/** Value of an IPv6 text, or the reason it is not one. */
export function parseIpv6(text: string): bigint | string {
  const bad = /[^0-9a-fA-F:.]/.exec(text);
  if (bad)
    return `character "${bad[0]}" is not allowed (IPv6 is hex digits and colons, optionally ending in a dotted IPv4 address)`;
  const halves = text.split('::');
  if (halves.length > 2) return '"::" may appear only once';
  const head = splitGroups(halves[0]);
  const tail = halves.length === 2 ? splitGroups(halves[1]) : [];
  const groups = [...head, ...tail];
  if (groups.includes(''))
    return 'a group is empty (a single ":" at either end, or ":::"); write "::" for a run of zero groups';

  const values: number[] = [];
  for (const [index, group] of groups.entries()) {
    const last = index === groups.length - 1 && (halves.length === 1 || tail.length > 0);
    const parsed = parseGroup(group, last);
    if (typeof parsed === 'string') return parsed;
    values.push(...parsed);
  }
  const headCount = head.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  if (halves.length === 1 && values.length !== GROUPS)
    return `an IPv6 address without "::" has 8 groups; this has ${values.length}`;
  if (halves.length === 2 && values.length > GROUPS - 1)
    return `"::" stands for at least one zero group, but ${values.length} groups are already given`;

  const zeros = GROUPS - values.length;
  const all = [...values.slice(0, headCount), ...Array(zeros).fill(0), ...values.slice(headCount)];
  return all.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** Groups of one side of `::` (an empty side has none). */
const splitGroups = (side: string): string[] => (side === '' ? [] : side.split(':'));

function parseGroup(group: string, last: boolean): number[] | string {
  if (group.includes('.')) {
    if (!last) return `the dotted IPv4 part "${group}" may only come last`;
    const v4 = parseIpv4(group);
    if (typeof v4 === 'string') return `in the embedded IPv4 part: ${v4}`;
    return [Number(v4 >> 16n), Number(v4 & 0xffffn)];
  }
  if (group.length > 4) return `group "${group}" has more than four hex digits`;
  return [parseInt(group, 16)];
}

export function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: GROUPS }, (_, i) =>
    Number((value >> BigInt(16 * (GROUPS - 1 - i))) & 0xffffn),
  );
  const run = longestZeroRun(groups);
  const hex = groups.map((g) => g.toString(16));
  if (!run) return hex.join(':');
  return `${hex.slice(0, run.start).join(':')}::${hex.slice(run.start + run.length).join(':')}`;
}

/** RFC 5952 §4.2: the longest run of two or more zero groups, the first one on a tie. */
function longestZeroRun(groups: number[]): { start: number; length: number } | undefined {
  let best: { start: number; length: number } | undefined;
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= 2 && i - start > (best?.length ?? 0))
      best = { start, length: i - start };
    start = -1;
  }
  return best;
}
