/**
 * Boulder log lines written the way Boulder writes them, with checksums
 * computed here, independently of the parser: a table-driven CRC-32 (IEEE,
 * reflected polynomial 0xEDB88320) and both of Boulder's encodings.
 */

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32Ieee(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Boulder since Oct 2025: the CRC as 4 little-endian bytes, base64url, 6 characters. */
export function checksum6(message: string): string {
  const crc = crc32Ieee(message);
  return Buffer.from([crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24]).toString(
    'base64url',
  );
}

/** Boulder 2019–2025: the CRC as an unsigned varint in a zero-filled 5-byte buffer, 7 characters. */
export function checksum7(message: string): string {
  const bytes = [0, 0, 0, 0, 0];
  let value = crc32Ieee(message);
  let i = 0;
  for (; value >= 128; i++) {
    bytes[i] = (value % 128) + 128;
    value = Math.floor(value / 128);
  }
  bytes[i] = value;
  return Buffer.from(bytes).toString('base64url');
}

export type Layout = 'stdout' | 'short' | 'le-rsyslog' | 'rsyslog-file' | 'rfc3164' | 'rfc5424';

export interface LineOptions {
  readonly layout?: Layout;
  readonly host?: string;
  readonly datacenter?: string;
  readonly program?: string;
  readonly ts?: string;
  readonly encoding?: 6 | 7;
}

/** A Boulder line around `message` (newlines escaped first, as Boulder does). */
export function boulderLine(message: string, o: LineOptions = {}): string {
  const msg = message.replace(/\n/g, '\\n');
  const sum = (o.encoding === 7 ? checksum7 : checksum6)(msg);
  const program = o.program ?? 'boulder-wfe';
  const host = o.host ?? 'host1';
  const dc = o.datacenter ?? 'dc1';
  const ts = o.ts ?? '2026-11-28T10:00:00.123456+00:00';
  switch (o.layout ?? 'stdout') {
    case 'stdout':
      return `${ts}Z ${host} ${dc} ${program}[1234]: 6 ${program} ${sum} ${msg}`;
    case 'short':
      return `${ts} 6 ${program} ${sum} ${msg}`;
    case 'le-rsyslog':
      return `${ts} ${host} datacenter 6 ${program}[1234]: ${sum} ${msg}`;
    case 'rsyslog-file':
      return `${ts} ${host} ${program}[1234]: ${sum} ${msg}`;
    case 'rfc3164':
      return `<134>Nov 28 10:00:00 ${host} ${program}[1234]: ${sum} ${msg}`;
    case 'rfc5424':
      return `<134>1 ${ts} ${host} ${program} 1234 - [meta sequenceId="7"] ${sum} ${msg}`;
  }
}
