import { IpVersion, parseIp } from './address';
import { formatCidr, networkOf } from './network';

/**
 * The network a client address belongs to when bounding how much one party
 * can contribute to a published count (docs/publication.md):
 *
 * - IPv6 /48: the block an end site is normally assigned (RIPE-690: /48 for
 *   businesses, /56 for homes; /64 per mobile device), and what tunnel brokers
 *   hand anyone for free. One host alone may use any of the 2^64 addresses of
 *   its /64 (temporary addresses rotate at least daily), so per-address or
 *   per-/64 bounds stop nobody: a /48 is 65,536 /64s.
 * - IPv4 /24: the longest prefix routed between networks (longer ones are
 *   filtered), so the smallest block one party holds on its own; NAT puts a
 *   whole household or office behind one address inside it.
 *
 * A coarser prefix merges unrelated clients (an ISP's /48 may hold 256 homes
 * with a /56 each): that costs accuracy, never privacy.
 */
export const CONTRIBUTION_PREFIX_LENGTH: Readonly<Record<IpVersion, number>> = { 4: 24, 6: 48 };

/** Canonical CIDR text of the contribution prefix of an address in any accepted spelling. */
export function contributionPrefix(ip: string): string {
  const address = parseIp(ip);
  return formatCidr(networkOf(address, CONTRIBUTION_PREFIX_LENGTH[address.version]));
}
