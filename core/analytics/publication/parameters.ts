import { z } from 'zod';
import { ContributionBounds } from './bounding';
import { DAY_LATENESS_HOURS } from '../../time/finality';

/**
 * The publication's parameters, with the values logvault uses and a schema
 * for a stage configuration that overrides them. docs/publication.md
 * justifies each value; bench/publication/run.ts measures what they cost.
 */
export interface PublicationParameters extends ContributionBounds {
  /** ε per day and per unit (a network prefix). */
  readonly epsilon: number;
  /** δ per day and per unit. */
  readonly delta: number;
  /** Hours after a day ends during which its late records are still counted; the day is final after them. */
  readonly latenessHours: number;
}

export const PUBLICATION_PARAMETERS: PublicationParameters = {
  epsilon: 1,
  delta: 1e-7,
  perClient: 1,
  perPrefix: 1,
  certificatesPerPrefix: 16,
  latenessHours: DAY_LATENESS_HOURS,
};

const positiveInteger = (what: string) =>
  z
    .number()
    .int()
    .min(1, { message: `${what} must be a whole number of at least 1` });

export const publicationParametersSchema = z
  .strictObject({
    epsilon: z.number().positive().max(10, { message: 'epsilon above 10 per day protects nobody' }),
    delta: z.number().positive().max(1e-6, {
      message: 'delta must stay far below one in the number of prefixes (at most 1e-6)',
    }),
    perClient: positiveInteger('perClient'),
    perPrefix: positiveInteger('perPrefix'),
    certificatesPerPrefix: positiveInteger('certificatesPerPrefix'),
    latenessHours: positiveInteger('latenessHours').max(72, {
      message:
        'latenessHours beyond 72 reaches past the raw logs of the day (they expire after 5 days)',
    }),
  })
  .superRefine((p, ctx) => {
    if (p.perClient > p.perPrefix)
      ctx.addIssue({
        code: 'custom',
        path: ['perClient'],
        message: `perClient (${p.perClient}) cannot exceed perPrefix (${p.perPrefix}): a client is inside a prefix`,
      });
  });
