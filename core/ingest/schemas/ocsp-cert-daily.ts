import { z } from 'zod';

/**
 * One row of the `ocsp_cert_daily` aggregate (Parquet, one partition per
 * UTC day): per-certificate request counts with no IP, browser or OS, so it
 * may be kept long after the raw logs expire. Source of the Glue columns.
 */
const count = (what: string) => z.number().int().min(0).describe(what);

export const ocspCertDailyRecord = z.strictObject({
  serial: z.string().describe('certificate serial number, lowercase hex'),
  issuer_key_hash: z.string().describe('hash of the issuer public key from the CertID'),
  requests: count('OCSP requests for the certificate that day'),
  distinct_clients: count('distinct client IPs that asked (the IPs themselves are not kept)'),
  status_good: count('requests answered good'),
  status_revoked: count('requests answered revoked'),
  status_unknown: count('requests answered unknown'),
  status_error: count('requests answered with an error'),
  status_unrecorded: count('requests whose source logged no answer (web server, CDN logs)'),
});
export type OcspCertDailyRecord = z.infer<typeof ocspCertDailyRecord>;
