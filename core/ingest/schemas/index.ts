import { z } from 'zod';
import { acmeEventFields, acmeEventInput, acmeEventRecord } from './acme-event';
import { ocspRequestFields, ocspRequestInput, ocspRequestRecord } from './ocsp-request';

/**
 * The log types logvault ingests, each with its JSON input (validation), what
 * a parser builds (`fields`: everything but `line_id`) and the stored record.
 */
export const logTypes = {
  ocsp: { input: ocspRequestInput, fields: ocspRequestFields, record: ocspRequestRecord },
  acme: { input: acmeEventInput, fields: acmeEventFields, record: acmeEventRecord },
} as const;

export type LogType = keyof typeof logTypes;
export const logTypeNames = Object.keys(logTypes) as LogType[];

export type StoredRecord<T extends LogType> = z.infer<(typeof logTypes)[T]['record']>;
