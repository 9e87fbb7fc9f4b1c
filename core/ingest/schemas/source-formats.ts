import { z } from 'zod';

/**
 * The source formats logvault parses (core/ingest/formats), named here so the
 * stage config and the transformation function's environment can name them
 * without loading the parsers. `json` is logvault's own record.
 */
export const sourceFormatNames = [
  'boulder',
  'combined',
  'cloudfront',
  'cloudfront-realtime',
] as const;
export type SourceFormatName = (typeof sourceFormatNames)[number];

/**
 * What a delivery stream's transformation function parses: logvault's JSON
 * records always, plus the lines of one source format. Options are the
 * format's (docs/formats.md); they are checked when the function starts.
 */
export const transformationSetting = z.strictObject({
  format: z
    .enum(['json', ...sourceFormatNames])
    .describe('source format of the lines producers send besides logvault JSON records'),
  options: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("the format's options, as for `logvault ship --format-options`"),
});
export type TransformationSetting = z.output<typeof transformationSetting>;

/** Per log type, what its streams' lines are parsed as; a type left out has no transformation. */
export const transformationSettings = z.strictObject({
  ocsp: transformationSetting.optional(),
  acme: transformationSetting.optional(),
});
export type TransformationSettings = z.output<typeof transformationSettings>;
