import { baseEnvironment } from './base';
import { athenaEnvironment } from './query';
import { bucketVariable, countVariable } from './resources';

/** `aggregate-daily`: the day's aggregate and published dataset, through Athena. */
export const aggregateDailyEnvironment = baseEnvironment.extend({
  /** ocsp_cert_daily partitions and the publish prefix. */
  AGGREGATES_BUCKET: bucketVariable,
  /** Raw OCSP expiry: bounds which days can still be aggregated. */
  RAW_LOG_EXPIRY_DAYS: countVariable,
  ...athenaEnvironment.shape,
});
