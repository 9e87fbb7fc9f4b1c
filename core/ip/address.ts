import { InvalidIpError } from './errors';
import { formatIpv4, parseIpv4 } from './ipv4';
import { formatIpv6, parseIpv6 } from './ipv6';

/**
 * One canonical text for every IP address logvault stores, filters on or
 * reports, so the same address always compares equal as text: in the
 * shipper, in Athena SQL and in a data subject's access request.
 *
 * - IPv4: dotted quad, decimal, no leading zeros (leading zeros refused).
 * - IPv6: RFC 5952 (lowercase, no leading zeros, longest zero run as `::`).
 * - IPv4-mapped IPv6 (`::ffff:a.b.c.d`, in any spelling) is the IPv4 address
 *   `a.b.c.d`: it is how a dual-stack socket reports an IPv4 peer, so the same
 *   client would otherwise appear under two texts; Athena's and Trino's
 *   IPADDRESS type makes the same choice (CAST to varchar prints `a.b.c.d`).
 *   Other embedded forms (`::a.b.c.d`, `64:ff9b::a.b.c.d`) are IPv6
 *   addresses of their own and print in hex, as that type prints them.
 * - Zone ids (`fe80::1%eth0`) are refused: a zone names an interface of the
 *   machine that logged the address and identifies nothing anywhere else.
 */

export type IpVersion = 4 | 6;

/** A parsed address: its version and its 32- or 128-bit value. */
export interface IpAddress {
  readonly version: IpVersion;
  readonly value: bigint;
}

/** Bits of an address of each version. */
export const ADDRESS_BITS: Readonly<Record<IpVersion, number>> = { 4: 32, 6: 128 };

/** Longer than any address text (45 characters with an embedded IPv4): refused before parsing. */
const MAX_TEXT = 64;
const MAPPED_PREFIX = 0xffffn;

/** Parses any accepted spelling; IPv4-mapped IPv6 comes back as IPv4. Throws {@link InvalidIpError}. */
export function parseIp(text: string): IpAddress {
  return unmapped(parseIpSpelling(text));
}

/** The canonical text of an address given in any accepted spelling. Throws {@link InvalidIpError}. */
export function canonicalIp(text: string): string {
  return formatIp(parseIp(text));
}

export function formatIp(address: IpAddress): string {
  return address.version === 4 ? formatIpv4(address.value) : formatIpv6(address.value);
}

/** True when the text is an address already in canonical form. */
export function isCanonicalIp(text: string): boolean {
  try {
    return canonicalIp(text) === text;
  } catch (error) {
    if (error instanceof InvalidIpError) return false;
    throw error;
  }
}

/** `::ffff:a.b.c.d` as the IPv4 address it stands for; anything else unchanged. */
export function unmapped(address: IpAddress): IpAddress {
  if (address.version === 6 && address.value >> 32n === MAPPED_PREFIX)
    return { version: 4, value: address.value & 0xffffffffn };
  return address;
}

/**
 * The address as spelt, mapped IPv6 kept as IPv6 (network parsing needs to
 * know the prefix length was given in IPv6 bits).
 */
export function parseIpSpelling(
  text: string,
  expected: InvalidIpError['expected'] = 'IP address',
): IpAddress {
  const fail = (reason: string) => new InvalidIpError(text, reason, expected);
  if (text === '') throw fail('it is empty');
  if (text.length > MAX_TEXT) throw fail(`it is ${text.length} characters long`);
  if (/\s/.test(text)) throw fail('it contains whitespace: remove it');
  const zone = text.indexOf('%');
  if (zone >= 0)
    throw fail(
      `zone identifier "${text.slice(zone)}" is not allowed: a zone names an interface of one ` +
        `machine and identifies nothing elsewhere; give the address without it`,
    );
  const version: IpVersion = text.includes(':') ? 6 : 4;
  const parsed = version === 4 ? parseIpv4(text) : parseIpv6(text);
  if (typeof parsed === 'string') throw fail(parsed);
  return { version, value: parsed };
}
