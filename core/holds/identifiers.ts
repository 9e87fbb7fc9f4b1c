import { InvalidIpError, formatCidr, parseNetworkOrAddress } from '../ip';

/**
 * A case's IP filters identify people: a refused filter is explained without
 * repeating the value, so the rejection that the CLI prints and the handler
 * logs carries no address.
 */

/** Text a message may carry in place of an address or network. */
const REDACTED = '<address>';

/** Candidate address-like tokens: dotted quads and anything with two or more colons. */
const ADDRESS_LIKE =
  /[0-9A-Fa-f.:]*:[0-9A-Fa-f.:]*:[0-9A-Fa-f.:%\w]*(\/\d+)?|\d{1,3}(\.\d{1,3}){3}(\/\d+)?/g;

const isAddress = (token: string) => {
  try {
    parseNetworkOrAddress(token.replace(/%.*$/, ''));
    return true;
  } catch {
    return false;
  }
};

/** `text` with every IP address or network in it replaced by `<address>`. */
export function redactAddresses(text: string): string {
  return text.replace(ADDRESS_LIKE, (token) => (isAddress(token) ? REDACTED : token));
}

/**
 * An IP filter entry in canonical form (an address becomes its /32 or /128).
 * The refusal names what is wrong without repeating the address: the
 * parser's reason with addresses redacted.
 */
export function canonicalIpFilter(text: string): string | { readonly refused: string } {
  try {
    return formatCidr(parseNetworkOrAddress(text));
  } catch (error) {
    if (!(error instanceof InvalidIpError)) throw error;
    const reason = redactAddresses(error.reason).replace(/"%[^"]*"/g, '"%<zone>"');
    return { refused: `not a valid IP address or network (CIDR): ${reason}` };
  }
}
