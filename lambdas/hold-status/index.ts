import { parseOrReject, statusEventSchema } from '../../core/holds/case';
import { registryFrom } from '../../core/holds/deps-from-env';
import { answer, rawCaseId } from '../../core/holds/response';
import { holdStatus } from '../../core/holds/status';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';

/** Shows one case with its audit trail, or lists every case. Reads only. */
export const handler = async (event: unknown) => {
  logger.setCorrelationId(rawCaseId(event));
  const response = await answer(async () =>
    holdStatus(
      { registry: registryFrom(environmentOf('hold-status')) },
      parseOrReject(statusEventSchema, event),
    ),
  );
  logger.info('hold status', { ok: response.ok });
  return response;
};
