import { Command } from '../command';

/** A `logvault` subcommand as `logvault --help` lists it. */
export interface CommandEntry {
  readonly name: string;
  /** One line for `logvault --help`. */
  readonly summary: string;
  /**
   * The command itself, loaded only when it runs: together the commands pull
   * in every SDK client and most of core/, about 0.5 s of CPU that a spawned
   * `logvault hold` or `logvault ship` would otherwise pay before its first request.
   */
  load(): Promise<Command>;
}

/** Every `logvault` subcommand; each lives in its own file beside this one. */
export const commands: CommandEntry[] = [
  {
    name: 'audit',
    summary: 'check every privacy-policy promise against the template or the live account',
    load: async () => (await import('./audit')).auditCommand,
  },
  {
    name: 'generate',
    summary: 'print realistic, seeded OCSP or ACME log lines as NDJSON',
    load: async () => (await import('./generate')).generateCommand,
  },
  {
    name: 'ship',
    summary:
      'validate log lines (NDJSON, Boulder, combined, CloudFront) and send them to Firehose, packed, losing nothing',
    load: async () => (await import('./ship')).shipCommand,
  },
  {
    name: 'query',
    summary: 'run a named query (sql/queries) on Athena or the local Trino',
    load: async () => (await import('./query')).queryCommand,
  },
  {
    name: 'report',
    summary: 'personal-data report (GDPR access request) for an ACME account or IP',
    load: async () => (await import('./report')).reportCommand,
  },
  {
    name: 'aggregate',
    summary: 'materialise (or backfill) daily per-certificate aggregates; publish final days once',
    load: async () => (await import('./aggregate')).aggregateCommand,
  },
  {
    name: 'verify',
    summary:
      'walk the signed digest chain of the subscriber archive and report any loss or alteration',
    load: async () => (await import('./verify')).verifyCommand,
  },
  {
    name: 'anchors',
    summary:
      "copy the stage's RFC 3161 anchors out of the account, for the public anchor repository",
    load: async () => (await import('./anchors')).anchorsCommand,
  },
  {
    name: 'hold',
    summary: 'apply, release, list and show legal holds (cases)',
    load: async () => (await import('./hold')).holdCommand,
  },
  {
    name: 'smoke',
    summary: 'prove a deployed stage keeps its promises with canary data, then clean up',
    load: async () => (await import('./smoke')).smokeCommand,
  },
];
