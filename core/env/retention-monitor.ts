import { z } from 'zod';
import { baseEnvironment } from './base';
import { bucketVariable, tableVariable } from './resources';

/** One place whose oldest copy is measured, named as in the metric's Place dimension. */
export const watchedPlace = z.object({
  place: z.string().min(1),
  bucket: z.string().min(1),
  /** Versioned buckets keep noncurrent copies; those count too. */
  versioned: z.boolean(),
});

/** `retention-monitor`: the watched OCSP places, the investigations bucket, the registry. */
export const retentionMonitorEnvironment = baseEnvironment.extend({
  /** JSON list of watched places; each bucket is granted list access with it. */
  WATCHED_PLACES: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON list of watched places' });
        return z.NEVER;
      }
    })
    .pipe(z.array(watchedPlace))
    .brand<'buckets'>(),
  /** Subscriber archive: its ACME versions' legal-hold flags are checked against the registry. */
  ARCHIVE_BUCKET: bucketVariable,
  INVESTIGATIONS_BUCKET: bucketVariable,
  HOLD_REGISTRY_TABLE: tableVariable,
});
