/**
 * The columns of the published dataset's CSV (publish/ocsp_cert_daily/),
 * in file order: the file's header, its `_metadata.json` and the Glue table
 * `published_ocsp_cert_daily` all take them from here.
 */
export const PUBLISHED_COLUMNS = [
  { name: 'day', type: 'string', description: 'UTC day of the OCSP requests (YYYY-MM-DD)' },
  { name: 'serial', type: 'string', description: 'certificate serial number, lowercase hex' },
  { name: 'issuer_key_hash', type: 'string', description: 'hash of the issuer public key' },
  {
    name: 'bounded_requests',
    type: 'bigint',
    description:
      'requests about the certificate counted at most perClient per client address and perPrefix ' +
      'per network, from networks that counted it among their certificatesPerPrefix certificates ' +
      'of the day, plus discrete Gaussian noise; with perClient = perPrefix = 1 it estimates how ' +
      'many networks asked about the certificate',
  },
] as const;
