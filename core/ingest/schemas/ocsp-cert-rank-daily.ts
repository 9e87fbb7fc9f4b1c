import { z } from 'zod';

/**
 * One row of `ocsp_cert_rank_daily` (Parquet, one partition per UTC day):
 * the day's busiest certificates from its ocsp_cert_daily partition, and one
 * row with no certificate that bounds every certificate left out. A range's
 * top N is answered from it when that bound proves the answer exact
 * (docs/analytics.md "Top certificates over a range"). Source of the Glue columns.
 */
export const ocspCertRankDailyRecord = z.strictObject({
  rank: z
    .number()
    .int()
    .min(1)
    .describe('1 for the busiest certificate of the day; the bound row is rank K+1'),
  serial: z
    .string()
    .nullable()
    .describe('certificate serial number, lowercase hex; null on the bound row'),
  issuer_key_hash: z
    .string()
    .nullable()
    .describe('hash of the issuer public key from the CertID; null on the bound row'),
  requests: z
    .number()
    .int()
    .min(0)
    .describe(
      'OCSP requests for the certificate that day; on the bound row the most any unranked certificate had (0: none)',
    ),
});
export type OcspCertRankDailyRecord = z.infer<typeof ocspCertRankDailyRecord>;
