import { decodeOcspRequest, Decoded, MAX_REQUEST_BYTES } from './ocsp-der';

export type { CertId, Decoded } from './ocsp-der';

/**
 * The OCSP request a log line carries (GET path or POST body), decoded once
 * per distinct request.
 *
 * Real OCSP traffic repeats: a certificate's GET URL is the same for every
 * client (RFC 5019 made GET cacheable for that), so decoded requests are
 * kept in a bounded least-recently-used map keyed on the request's base64
 * text (cheaper to key than to decode again). Its size bounds memory
 * (bench/parsers prints the heap it holds when full).
 */
export const DECODE_CACHE_ENTRIES = 50_000;
const cache = new Map<string, Decoded>();
/** Base64 longer than this holds more than MAX_REQUEST_BYTES: refused before it can fill the cache. */
const MAX_BASE64_LENGTH = Math.ceil(MAX_REQUEST_BYTES / 3) * 4;

function decodeBase64Memo(base64: string): Decoded {
  if (base64.length > MAX_BASE64_LENGTH)
    return { error: `request of more than ${MAX_REQUEST_BYTES} bytes` };
  let decoded = cache.get(base64);
  if (decoded) {
    cache.delete(base64); // re-inserted below: Map order is recency order
  } else {
    decoded = decodeOcspRequest(Buffer.from(base64, 'base64'));
    if (cache.size >= DECODE_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  cache.set(base64, decoded);
  return decoded;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const MAX_PERCENT_DECODING_ROUNDS = 3;

/** Undoes URL escaping; base64 has no `%`, so a `%` left after one round means double escaping. */
function percentDecoded(text: string): string | undefined {
  let decoded = text;
  for (let round = 0; round < MAX_PERCENT_DECODING_ROUNDS && decoded.includes('%'); round++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return undefined;
    }
  }
  return decoded;
}

/**
 * The OCSP request carried by a GET path (the part after the responder's
 * prefix): base64 of the DER, URL-escaped or not, perhaps behind an extra
 * `/` from a client that joined URL and request naively. A `+` turned into a
 * space by form decoding is turned back, as Boulder's responder does.
 * Returns undefined when the path is not base64 at all (not an OCSP request).
 */
export function decodeGetPath(path: string): Decoded | undefined {
  const unescaped = percentDecoded(path);
  if (unescaped === undefined) return undefined;
  const base64 = unescaped.replace(/ /g, '+').replace(/^\//, '');
  if (BASE64.test(base64)) return decodeBase64Memo(base64);
  if (BASE64URL.test(base64)) return decodeBase64Memo(base64.replace(/-/g, '+').replace(/_/g, '/'));
  return undefined;
}

/** The OCSP request in a POST body (raw DER bytes), as web server logs record it. */
export function decodeBody(body: Buffer): Decoded {
  return decodeBase64Memo(body.toString('base64'));
}

/** The OCSP request in a POST body logged as base64 (Boulder's responder): decoded once, not re-encoded. */
export function decodeBase64Body(base64: string): Decoded {
  return decodeBase64Memo(base64);
}
