import { z } from 'zod';
import type { SourceFormatName } from '../schemas/source-formats';
import { boulderOptions, createBoulderParser } from './boulder';
import { cloudfrontOptions } from './cloudfront-fields';
import { cloudfrontRealtimeOptions, createCloudfrontRealtimeParser } from './cloudfront-realtime';
import { createCloudfrontStandardParser } from './cloudfront-standard';
import { combinedOptions, createCombinedParser } from './combined-log';
import { LineParser } from './outcome';

export type { LineOutcome, LineParser, ParsedRecord, RejectCode } from './outcome';

/**
 * The source formats logvault parses, for `logvault ship --format` and the
 * Firehose transformation: what each yields, its options, a sample.
 * docs/formats.md describes each one.
 */
export interface FormatDefinition {
  /** One line for `--format` help. */
  readonly description: string;
  /** Log types its records can have (a Boulder file holds both). */
  readonly logTypes: readonly ('ocsp' | 'acme')[];
  /** Parser options, validated before any line is read. */
  readonly options: z.ZodObject;
  /** Sample input (header lines first where the format has them) and options that parse it. */
  readonly sample: { readonly lines: readonly string[]; readonly options: object };
  readonly create: (options: never) => LineParser;
}

/** A real `openssl ocsp -reqout` request (SHA-1 CertID, serial a1b2c3), base64. */
const SAMPLE_OCSP =
  'MEUwQzBBMD8wPTAJBgUrDgMCGgUABBTQjOna6GGYfeBIPoh5VRBhZfb31AQUK5cOJpuinrYxDo/gzrbEJ4qS1L4CBAChssM=';
const SAMPLE_OCSP_ESCAPED = encodeURIComponent(SAMPLE_OCSP);
const AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0';

export const formats = {
  boulder: {
    description:
      'Boulder stdout/syslog lines: WFE requests -> acme, OCSP responder requests -> ocsp',
    logTypes: ['acme', 'ocsp'],
    options: boulderOptions,
    sample: {
      lines: [
        '2026-11-28T10:00:00.123456+00:00Z wfe1 dc1 boulder-wfe[812]: 6 boulder-wfe ZtpUwQ GET /acme/order/ 1234 200 12 203.0.113.9 JSON={"Slug":"1234/5678","ua":"CertbotACMEClient/2.11.0","Status":"valid","Identifiers":[{"type":"dns","value":"example.com"}]}',
      ],
      options: {},
    },
    create: createBoulderParser,
  },
  combined: {
    description: 'nginx / Apache combined access log in front of an OCSP responder -> ocsp',
    logTypes: ['ocsp'],
    options: combinedOptions,
    sample: {
      lines: [
        `198.51.100.23 - - [28/Nov/2026:10:00:00 +0000] "GET /${SAMPLE_OCSP_ESCAPED} HTTP/1.1" 200 503 "-" "${AGENT}" rt=0.004`,
      ],
      options: { responderId: 'ocsp-edge-1', region: 'eu-west-1' },
    },
    create: createCombinedParser,
  },
  cloudfront: {
    description: 'CloudFront standard logs (#Fields: header) in front of an OCSP responder -> ocsp',
    logTypes: ['ocsp'],
    options: cloudfrontOptions,
    sample: {
      lines: [
        '#Version: 1.0',
        '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs-uri-stem sc-status cs(User-Agent) time-taken',
        `2026-11-28\t10:00:00\tFRA56-P1\t1262\t198.51.100.23\tGET\t/${SAMPLE_OCSP_ESCAPED}\t200\t${encodeURIComponent(AGENT)}\t0.002`,
      ],
      options: { region: 'eu-central-1' },
    },
    create: createCloudfrontStandardParser,
  },
  'cloudfront-realtime': {
    description: 'CloudFront real-time log records (field list from the options) -> ocsp',
    logTypes: ['ocsp'],
    options: cloudfrontRealtimeOptions,
    sample: {
      lines: [
        `1795860000.123\t198.51.100.23\tGET\t/${SAMPLE_OCSP_ESCAPED}\t200\t1262\t0.002\t${encodeURIComponent(AGENT)}\tFRA56-P1`,
      ],
      options: {
        region: 'eu-central-1',
        fields: [
          'timestamp',
          'c-ip',
          'cs-method',
          'cs-uri-stem',
          'sc-status',
          'sc-bytes',
          'time-taken',
          'cs-user-agent',
          'x-edge-location',
        ],
      },
    },
    create: createCloudfrontRealtimeParser,
  },
} as const satisfies Record<SourceFormatName, FormatDefinition>;

export type FormatName = keyof typeof formats;
export const formatNames = Object.keys(formats) as FormatName[];

function describeOptionIssues(name: string, definition: FormatDefinition, error: z.ZodError) {
  return error.issues
    .map((issue) => {
      const field = String(issue.path[0] ?? '(options)');
      const shape = definition.options.shape as Record<string, z.ZodType | undefined>;
      const meaning = shape[field]?.description;
      return `--format ${name}: option ${field}: ${issue.message}${meaning ? ` (set it: ${meaning})` : ''}`;
    })
    .join('\n');
}

/**
 * A parser for `name`, its options checked first: an unknown format or a bad
 * option fails here, naming the field and what to set, before any line is read.
 */
export function createParser(name: string, options: object = {}): LineParser {
  if (!(name in formats))
    throw new Error(`unknown format "${name}": use one of ${formatNames.join(', ')}`);
  const definition: FormatDefinition = formats[name as FormatName];
  const checked = definition.options.safeParse(options);
  if (!checked.success) throw new Error(describeOptionIssues(name, definition, checked.error));
  return definition.create(options as never);
}
