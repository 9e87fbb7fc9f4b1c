import { gunzipSync } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The bytes of a log object as its lines were written. On AWS every stream
 * delivers GZIP (log-delivery's `compressionFormat`); moto and a producer's own
 * copies deliver plain text. The two are told apart by GZIP's magic number,
 * not by a `.gz` key suffix, which nothing guarantees. Anything that reads
 * archived lines (sealing's validation, holds filtered by content) goes
 * through here, so no reader sees compressed bytes as text.
 * @throws when the object starts as GZIP but does not decompress.
 */
export function logObjectBytes(body: Uint8Array): Buffer {
  if (body[0] !== GZIP_MAGIC[0] || body[1] !== GZIP_MAGIC[1]) return Buffer.from(body);
  try {
    return gunzipSync(body);
  } catch (error) {
    throw new Error(`GZIP stream does not decompress (${(error as Error).message})`, {
      cause: error,
    });
  }
}
