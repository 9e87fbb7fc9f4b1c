import { checksumMatches } from './boulder-checksum';

/**
 * The envelope around a Boulder log message, in each layout Boulder's lines
 * reach a file in (fields separated by single spaces):
 *
 * - Boulder's stdout:           `<ts> <host> <dc> <prog>[<pid>]: <level> <prog> <checksum> <msg>`
 * - the short form (no prefix):  `<ts> <level> <prog> <checksum> <msg>`
 * - Let's Encrypt's rsyslog template (log-validator): `<ts> <host> datacenter <severity> <prog>[<pid>]: <checksum> <msg>`
 * - rsyslog RSYSLOG_FileFormat:  `<ts> <host> <prog>[<pid>]: <checksum> <msg>`
 * - RFC 3164 (optionally with `<PRI>`): `Mmm dd hh:mm:ss <host> <prog>[<pid>]: <checksum> <msg>`
 * - RFC 5424: `<PRI>1 <ts> <host> <app> <procid> <msgid> <structured-data> <checksum> <msg>`
 *
 * `<ts>` is RFC 3339; Boulder's stdout writes it with a stray `Z` after the
 * offset (`...+00:00Z`), accepted here.
 */

export interface Envelope {
  readonly ts: string;
  readonly host?: string;
  readonly datacenter?: string;
  readonly program: string;
  readonly message: string;
}

export type EnvelopeResult = Envelope | { readonly error: 'unparseable' | 'bad_checksum' };

const TS = String.raw`(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})Z?)`;
const TAG = String.raw`([^\s[\]:]+)(?:\[\d+\])?:`;
const CHECKSUM_AND_MESSAGE = String.raw`(\S+) (.*)`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Layout {
  readonly pattern: RegExp;
  /** Capture-group index of each part (0 = absent). */
  readonly groups: { ts: number; host: number; dc: number; program: number; checksum: number };
  readonly ts: 'rfc3339' | 'rfc3164';
}

const layout = (source: string, groups: Layout['groups'], ts: Layout['ts'] = 'rfc3339') => ({
  pattern: new RegExp(`^${source}$`),
  groups,
  ts,
});

const LAYOUTS: readonly Layout[] = [
  layout(`${TS} (\\S+) (\\S+) ${TAG} \\d (\\S+) ${CHECKSUM_AND_MESSAGE}`, {
    ts: 1,
    host: 2,
    dc: 3,
    program: 5,
    checksum: 6,
  }),
  layout(`${TS} (\\S+) (\\S+) \\d ${TAG} ${CHECKSUM_AND_MESSAGE}`, {
    ts: 1,
    host: 2,
    dc: 3,
    program: 4,
    checksum: 5,
  }),
  layout(`${TS} \\d (\\S+) ${CHECKSUM_AND_MESSAGE}`, {
    ts: 1,
    host: 0,
    dc: 0,
    program: 2,
    checksum: 3,
  }),
  layout(`${TS} (\\S+) ${TAG} ${CHECKSUM_AND_MESSAGE}`, {
    ts: 1,
    host: 2,
    dc: 0,
    program: 3,
    checksum: 4,
  }),
  layout(
    `(?:<\\d{1,3}>)?([A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}) (\\S+) ${TAG} ${CHECKSUM_AND_MESSAGE}`,
    { ts: 1, host: 2, dc: 0, program: 3, checksum: 4 },
    'rfc3164',
  ),
  layout(
    `<\\d{1,3}>1 ${TS} (\\S+) (\\S+) \\S+ \\S+ (?:-|(?:\\[(?:[^\\]\\\\]|\\\\.)*\\])+) \\uFEFF?${CHECKSUM_AND_MESSAGE}`,
    { ts: 1, host: 2, dc: 0, program: 3, checksum: 4 },
  ),
];

function rfc3339ToIso(text: string): string | undefined {
  const ms = Date.parse(text.replace(/([+-]\d{2}:\d{2})Z$/, '$1'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * RFC 3164 stamps carry no year or zone: UTC is assumed, and the year is the
 * reference time's, or the one before when that would put the line more
 * than a day in the future (a December line read in January).
 */
function rfc3164ToIso(text: string, reference: Date): string | undefined {
  const [monthName, day, time] = text.split(/ +/);
  const month = MONTHS.indexOf(monthName);
  const [h, m, s] = time.split(':').map(Number);
  const at = (year: number) => Date.UTC(year, month, Number(day), h, m, s);
  let ms = at(reference.getUTCFullYear());
  if (ms > reference.getTime() + 86_400_000) ms = at(reference.getUTCFullYear() - 1);
  return month < 0 || Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const part = (match: RegExpExecArray, group: number) => (group > 0 ? match[group] : undefined);

/** Splits a Boulder line into its envelope and message, checking the checksum. */
export function openEnvelope(line: string, reference: Date): EnvelopeResult {
  let badChecksum = false;
  for (const { pattern, groups, ts: stamp } of LAYOUTS) {
    const match = pattern.exec(line);
    if (!match) continue;
    const checksum = match[groups.checksum];
    const message = match[groups.checksum + 1];
    // Another layout may split the line elsewhere: a bad checksum is final only if none fits.
    if (!checksumMatches(checksum, message)) {
      badChecksum = true;
      continue;
    }
    const ts =
      stamp === 'rfc3339'
        ? rfc3339ToIso(match[groups.ts])
        : rfc3164ToIso(match[groups.ts], reference);
    if (!ts) return { error: 'unparseable' };
    const datacenter = part(match, groups.dc);
    return {
      ts,
      host: part(match, groups.host),
      // Let's Encrypt's rsyslog template writes the word itself, not a name.
      datacenter: datacenter === 'datacenter' ? undefined : datacenter,
      program: match[groups.program],
      message,
    };
  }
  return { error: badChecksum ? 'bad_checksum' : 'unparseable' };
}
