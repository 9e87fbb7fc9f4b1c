import { z } from 'zod';
import { publicationParametersSchema } from '../analytics/publication/parameters';
import { baseEnvironment } from './base';
import { athenaEnvironment } from './query';
import { bucketVariable, countVariable } from './resources';

/** `aggregate-daily`: the days' aggregates and the published dataset, through Athena. */
export const aggregateDailyEnvironment = baseEnvironment.extend({
  /** ocsp_cert_daily partitions and the publish prefix. */
  AGGREGATES_BUCKET: bucketVariable,
  /** Raw OCSP expiry: bounds which days can still be aggregated. */
  RAW_LOG_EXPIRY_DAYS: countVariable,
  /** The stage's publication parameters, as JSON (stage config `analytics.publication`). */
  PUBLICATION_PARAMETERS: z
    .string()
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(publicationParametersSchema),
  ...athenaEnvironment.shape,
});
