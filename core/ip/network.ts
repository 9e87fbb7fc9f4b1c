import {
  ADDRESS_BITS,
  IpAddress,
  IpVersion,
  formatIp,
  parseIp,
  parseIpSpelling,
  unmapped,
} from './address';
import { InvalidIpError } from './errors';

/**
 * Networks in CIDR notation: `address/prefix-length`, the address being the
 * network's first address. A text with host bits set (`10.0.0.5/24`) is
 * refused, not masked: whoever wrote it meant either the network or the one
 * host, and a hold or an access request must not silently widen to 255
 * other hosts' records or narrow to one. The error names both readings.
 * An IPv4-mapped network (`::ffff:10.0.0.0/104`) is the IPv4 network
 * (`10.0.0.0/8`), as its addresses are.
 */

export interface IpNetwork {
  readonly version: IpVersion;
  /** The network's first address (host bits zero). */
  readonly value: bigint;
  readonly prefixLength: number;
}

const MAPPED_NETWORK_BITS = 96;

/** Parses `address/length`. Throws {@link InvalidIpError}, naming the fix. */
export function parseCidr(text: string): IpNetwork {
  const fail = (reason: string) => new InvalidIpError(text, reason, 'network (CIDR)');
  const slash = text.indexOf('/');
  if (slash < 0)
    throw fail('a network is written address/prefix-length, e.g. 192.0.2.0/24 or 2001:db8::/32');
  const lengthText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lengthText))
    throw fail(`prefix length "${lengthText}" must be a decimal number without leading zeros`);
  const spelt = parseIpSpelling(text.slice(0, slash), 'network (CIDR)');
  let prefixLength = Number(lengthText);
  const bits = ADDRESS_BITS[spelt.version];
  if (prefixLength > bits)
    throw fail(`an IPv${spelt.version} prefix length is at most ${bits}, not ${prefixLength}`);

  const address = unmapped(spelt);
  if (address.version !== spelt.version) {
    // Below /96 the mapped prefix ::ffff:0:0 itself has host bits set; caught below.
    if (prefixLength >= MAPPED_NETWORK_BITS) prefixLength -= MAPPED_NETWORK_BITS;
    else return refuseHostBits(text, spelt, prefixLength);
  }
  const network = networkOf(address, prefixLength);
  if (network.value !== address.value) return refuseHostBits(text, address, prefixLength);
  return network;
}

function refuseHostBits(text: string, address: IpAddress, prefixLength: number): never {
  const network = formatCidr(networkOf(address, prefixLength));
  const single = unmapped(address);
  const host = `${formatIp(single)}/${ADDRESS_BITS[single.version]}`;
  throw new InvalidIpError(
    text,
    `host bits are set after the first ${prefixLength}: write ${network} for the network, or ${host} for the one address`,
    'network (CIDR)',
  );
}

/** A network, or a single address as its /32 or /128 network: what an IP filter accepts. */
export function parseNetworkOrAddress(text: string): IpNetwork {
  if (text.includes('/')) return parseCidr(text);
  const address = parseIp(text);
  return { ...address, prefixLength: ADDRESS_BITS[address.version] };
}

export function formatCidr(network: IpNetwork): string {
  return `${formatIp(network)}/${network.prefixLength}`;
}

/** Canonical text of a network given in any accepted spelling. Throws {@link InvalidIpError}. */
export function canonicalCidr(text: string): string {
  return formatCidr(parseCidr(text));
}

/** The network of the given length that holds `address` (its host bits cleared). */
export function networkOf(address: IpAddress, prefixLength: number): IpNetwork {
  const bits = ADDRESS_BITS[address.version];
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bits)
    throw new RangeError(
      `prefix length for IPv${address.version} is 0..${bits}, not ${prefixLength}`,
    );
  const hostBits = BigInt(bits - prefixLength);
  return { version: address.version, value: (address.value >> hostBits) << hostBits, prefixLength };
}

/** Whether `address` is inside `network`. An IPv4 address is never inside an IPv6 network. */
export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  if (network.version !== address.version) return false;
  const hostBits = BigInt(ADDRESS_BITS[network.version] - network.prefixLength);
  return address.value >> hostBits === network.value >> hostBits;
}
