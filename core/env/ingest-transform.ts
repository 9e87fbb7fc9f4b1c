import { z } from 'zod';
import { transformationSettings } from '../ingest/schemas/source-formats';
import { baseEnvironment } from './base';

/** `ingest-transform`: the Firehose data-transformation function of the stage's streams. */
export const ingestTransformEnvironment = baseEnvironment.extend({
  /** JSON of `transformationSettings` (the stage's `ingestion.transformation`). */
  TRANSFORMATIONS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON: {"ocsp":{"format":…},…}' });
        return z.NEVER;
      }
    })
    .pipe(transformationSettings),
});
