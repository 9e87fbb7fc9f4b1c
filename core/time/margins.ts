import { hourPath } from './hours';
import { HOUR_MS, MINUTE_MS } from './units';

/** Firehose holds a record at most this long (its largest buffering interval) before it lands. */
export const FIREHOSE_MAX_BUFFER_MS = 15 * MINUTE_MS;

/**
 * Records land in the partition of their arrival hour: up to Firehose's
 * buffer plus shipper retries after they were made, and a responder clock
 * may run slightly ahead. Reading one hour before and two after a range
 * catches both; readers filter on the records' own timestamps.
 */
export const ARRIVAL_MARGIN = { beforeHours: 1, afterHours: 2 } as const;

/**
 * The first and last arrival partition (`YYYY/MM/dd/HH`) that can hold
 * records made in [from, to): the late-arrival margin, in one place, for
 * the daily job, the personal-data report and OCSP extracts.
 */
export function arrivalPartitions(from: number, to: number): { first: string; last: string } {
  return {
    first: hourPath(new Date(from - ARRIVAL_MARGIN.beforeHours * HOUR_MS)),
    last: hourPath(new Date(to + ARRIVAL_MARGIN.afterHours * HOUR_MS - 1)),
  };
}
