import { crc32 } from 'node:zlib';

/**
 * Boulder's log-line checksum: CRC-32 (IEEE) of the message (newlines already
 * escaped as `\n`), base64url without padding. Two encodings exist, told
 * apart by length (Boulder's log-validator accepted both while switching):
 * - 6 characters (Boulder since boulder#8415, Oct 2025): the CRC as 4 bytes,
 *   little endian;
 * - 7 characters (2019 to Oct 2025): the CRC as an unsigned varint in a
 *   zero-filled 5-byte buffer.
 */

function littleEndian(crc: number): string {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(crc);
  return buffer.toString('base64url');
}

function varint(crc: number): string {
  const buffer = Buffer.alloc(5);
  let value = crc;
  let i = 0;
  while (value >= 0x80) {
    buffer[i++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buffer[i] = value;
  return buffer.toString('base64url');
}

/** Whether `checksum` is Boulder's checksum of `message`, in either encoding. */
export function checksumMatches(checksum: string, message: string): boolean {
  if (checksum.length !== 6 && checksum.length !== 7) return false;
  const crc = crc32(Buffer.from(message, 'utf8'));
  return checksum === (checksum.length === 6 ? littleEndian(crc) : varint(crc));
}
