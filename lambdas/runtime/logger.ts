import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger every handler imports. Handlers set the
 * correlation id (case id, object key, job date) once per invocation with
 * `logger.setCorrelationId(...)`; never log record contents, only identifiers.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'logvault',
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});
