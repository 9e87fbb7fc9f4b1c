import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { CaseRequest, ScopeFilters } from './case';
import { hourPath, hoursOverlapping } from '../time/hours';
import { ARRIVAL_MARGIN } from '../time/margins';
import { HOUR_MS } from '../time/units';

/** Pure planning for holds: which prefixes, which records. No I/O. */

/**
 * Every arrival-hour prefix that can hold events made in [from, to): the
 * hours overlapping the range widened by the one lateness margin the
 * analytics use (core/time/margins.ts), since Firehose files an event under
 * its arrival hour. Events in the widened hours are kept only by their own time.
 */
export function arrivalHourPrefixes(root: string, from: string, to: string): string[] {
  const start = Date.parse(from) - ARRIVAL_MARGIN.beforeHours * HOUR_MS;
  const end = Date.parse(to) + ARRIVAL_MARGIN.afterHours * HOUR_MS;
  return hoursOverlapping(start, end).map((h) => `${root}${hourPath(h)}/`);
}

/** Stable fingerprint of what a case holds, so a rerun with other parameters is refused. */
export function fingerprintOf(request: CaseRequest): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? [...value].map(canonical).sort()
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical({ dataset: request.dataset, scope: request.scope })))
    .digest('hex')
    .slice(0, 32);
}

export function hasFilters(filters: ScopeFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined);
}

/** Matches addresses against IPs and CIDR blocks (both families). */
export function ipMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

function domainMatches(pattern: string, name: string): boolean {
  const n = name.toLowerCase().replace(/^\*\./, '');
  if (!pattern.startsWith('*.')) return n === pattern;
  const base = pattern.slice(2);
  return n === base || n.endsWith(`.${base}`);
}

/** The fields of a stored ACME event the filters look at. */
export interface AcmeFilterFields {
  readonly ts: string;
  readonly account_id: string;
  readonly source_ip: string;
  readonly identifiers: readonly string[];
}

/**
 * Whether one ACME event is in scope: inside [from, to) and matching every
 * given filter. Objects are held whole, so one matching line holds its object.
 */
export function acmeEventMatcher(
  from: string,
  to: string,
  filters: ScopeFilters,
): (event: AcmeFilterFields) => boolean {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const ip = filters.ips ? ipMatcher(filters.ips) : undefined;
  return (event) => {
    const ts = Date.parse(event.ts);
    if (!(ts >= start && ts < end)) return false;
    if (filters.accountIds && !filters.accountIds.includes(event.account_id)) return false;
    if (ip && !ip(event.source_ip)) return false;
    if (
      filters.domains &&
      !event.identifiers.some((name) => filters.domains!.some((d) => domainMatches(d, name)))
    )
      return false;
    return true;
  };
}

/** The arrival hour (epoch ms) of an archive key `<root>YYYY/MM/dd/HH/<name>`; undefined for any other key. */
export function arrivalHourOfKey(root: string, key: string): number | undefined {
  if (!key.startsWith(root)) return undefined;
  const match = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\//.exec(key.slice(root.length));
  if (!match) return undefined;
  const [, y, m, d, h] = match.map(Number) as [number, number, number, number, number];
  const at = Date.UTC(y, m - 1, d, h);
  return hourPath(new Date(at)) === key.slice(root.length, root.length + 13) ? at : undefined;
}

/**
 * How an apply treats an object filed under arrival hour `hour` for a
 * [from, to) scope: `outside` the widened window (not held), held `unread`
 * (filed inside the range, no filters), or `read` (kept only for an event
 * whose own time and fields match). The one rule apply and sealing share.
 */
export function arrivalTreatment(
  from: string,
  to: string,
  filtered: boolean,
  hour: number,
): 'outside' | 'unread' | 'read' {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const hourEnd = hour + HOUR_MS;
  if (hourEnd <= start - ARRIVAL_MARGIN.beforeHours * HOUR_MS) return 'outside';
  if (hour >= end + ARRIVAL_MARGIN.afterHours * HOUR_MS) return 'outside';
  const inside = hourEnd > start && hour < end;
  return inside && !filtered ? 'unread' : 'read';
}
