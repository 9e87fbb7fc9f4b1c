/**
 * IPv4 text: exactly four decimal octets, none with a leading zero. The
 * shorthand forms inet_aton also takes (`127.1`, `0x7f.0.0.1`, `017.0.0.1`
 * read as octal) are refused: two parsers would read them as two different
 * addresses, and an access request must find the records of the address the
 * data subject means.
 */

/** Value of a dotted-quad text, or the reason it is not one. */
export function parseIpv4(text: string): bigint | string {
  const octets = text.split('.');
  if (octets.length !== 4)
    return `an IPv4 address is four decimal octets separated by dots; this has ${octets.length} part${octets.length === 1 ? '' : 's'}`;
  let value = 0n;
  for (const octet of octets) {
    const parsed = parseOctet(octet);
    if (typeof parsed === 'string') return parsed;
    value = (value << 8n) | BigInt(parsed);
  }
  return value;
}

function parseOctet(octet: string): number | string {
  if (octet === '') return 'an octet is empty (two dots in a row, or a dot at either end)';
  if (!/^[0-9]+$/.test(octet)) return `octet "${octet}" is not a decimal number`;
  if (octet.length > 1 && octet.startsWith('0'))
    return (
      `octet "${octet}" has a leading zero, which some parsers read as octal ` +
      `(inet_aton reads 010 as 8): write each octet in decimal without leading zeros`
    );
  const value = Number(octet);
  return value > 255 ? `octet "${octet}" is above 255` : value;
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}
