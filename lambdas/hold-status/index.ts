import { logger } from '../shared/logger';
import { parseOrReject, statusEventSchema } from '../shared/holds/case';
import { registryFromEnv } from '../shared/holds/env';
import { answer, rawCaseId } from '../shared/holds/handler-response';
import { holdStatus } from '../shared/holds/service';

/** Shows one case with its audit trail, or lists every case. Reads only. */
export const handler = async (event: unknown) => {
  logger.setCorrelationId(rawCaseId(event));
  const response = await answer(async () =>
    holdStatus({ registry: registryFromEnv() }, parseOrReject(statusEventSchema, event)),
  );
  logger.info('hold status', { ok: response.ok });
  return response;
};
