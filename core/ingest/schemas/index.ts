import { z } from 'zod';
import { acmeEventInput, acmeEventRecord } from './acme-event';
import { ocspRequestInput, ocspRequestRecord } from './ocsp-request';

/** The log types logvault ingests, each with its input (validation) and stored schema. */
export const logTypes = {
  ocsp: { input: ocspRequestInput, record: ocspRequestRecord },
  acme: { input: acmeEventInput, record: acmeEventRecord },
} as const;

export type LogType = keyof typeof logTypes;
export const logTypeNames = Object.keys(logTypes) as LogType[];

export type StoredRecord<T extends LogType> = z.infer<(typeof logTypes)[T]['record']>;
