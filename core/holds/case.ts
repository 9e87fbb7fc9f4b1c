import { z } from 'zod';
import { DAY_MS } from '../time/units';
import { canonicalIpFilter } from './identifiers';

/**
 * The model of a legal-hold case and the requests the hold functions accept.
 * Every hold handler parses its event with these schemas first, so a bad
 * request is refused before anything is read or written.
 */

/**
 * Case ids become S3 prefixes (`cases/<id>/`), registry keys and SQL table
 * names: letters, digits and single inner hyphens only, so no `/`, `..`, `%`
 * or whitespace can reach a key or a statement. SQL folds table names to
 * lowercase, so ids are case-insensitive: every id is upper-cased at the
 * edge, and `coll-1` is the case `COLL-1`.
 */
export const caseIdSchema = z
  .string({ message: 'case id must be a string' })
  .regex(/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/, {
    message:
      'case id must be letters and digits separated by single hyphens (e.g. CASE-2026-0042): ' +
      'no slashes, dots, spaces or other characters',
  })
  .min(3, { message: 'case id must be at least 3 characters' })
  .max(64, { message: 'case id must be at most 64 characters' })
  .transform((id) => id.toUpperCase());

/** Longest time range one case may cover; wider scopes are almost always typos. */
export const MAX_SCOPE_DAYS = 400;

/**
 * Instants a scope may name. logvault holds no record from before 2015 and
 * a scope past 2100 is a typo (`2999`), as is the epoch (`1970`) a missing
 * value turns into. Each is refused with the range it must lie in.
 */
export const INSTANT_RANGE = { from: '2015-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };

/**
 * An ISO 8601 UTC instant, output in one spelling (`toISOString()`), so
 * `10:00:00Z` and `10:00:00.000Z` are the same instant everywhere.
 */
const utcInstant = z.iso
  .datetime({
    offset: false,
    message: 'must be an ISO 8601 UTC instant such as 2026-11-28T10:00:00Z',
  })
  .transform((text) => new Date(text).toISOString())
  .refine((iso) => iso >= INSTANT_RANGE.from && iso < INSTANT_RANGE.to, {
    message: `must be on or after ${INSTANT_RANGE.from.slice(0, 10)} and before ${INSTANT_RANGE.to.slice(0, 10)}`,
  });

/** An IP or CIDR filter (IPv6 zone ids and host bits refused by core/ip), output canonical. */
const ipFilter = z.string().transform((text, ctx) => {
  const canonical = canonicalIpFilter(text);
  if (typeof canonical === 'string') return canonical;
  ctx.issues.push({ code: 'custom', message: canonical.refused, input: '' });
  return z.NEVER;
});

const domain = z
  .string()
  .max(253)
  .regex(/^(\*\.)?([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/, {
    message: 'must be a lowercase domain name, optionally *.-prefixed for subdomains',
  });

/** Optional record filters; every given list must match (AND), any entry of a list (OR). */
export const scopeFiltersSchema = z.strictObject({
  /** ACME account ids (acme only). */
  accountIds: z.array(z.string().min(1).max(128)).min(1).max(100).optional(),
  /** Client / source IPs or CIDR blocks, stored as canonical networks (an address as /32 or /128). */
  ips: z.array(ipFilter).min(1).max(100).optional(),
  /** Certificate serials, lowercase hex (ocsp only). */
  serials: z
    .array(z.string().regex(/^[0-9a-f]{1,40}$/, { message: 'serial must be 1-40 lowercase hex' }))
    .min(1)
    .max(1000)
    .optional(),
  /** Domain names; `*.example.com` also matches every subdomain (acme only). */
  domains: z.array(domain).min(1).max(100).optional(),
});
export type ScopeFilters = z.infer<typeof scopeFiltersSchema>;

export const scopeSchema = z
  .strictObject({
    /** Inclusive start, UTC. */
    from: utcInstant,
    /** Exclusive end, UTC. */
    to: utcInstant,
    filters: scopeFiltersSchema.default({}),
  })
  .superRefine((scope, ctx) => {
    const from = Date.parse(scope.from);
    const to = Date.parse(scope.to);
    if (!(from < to))
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after "from"' });
    else if (to - from > MAX_SCOPE_DAYS * DAY_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `scope spans more than ${MAX_SCOPE_DAYS} days; split it into several cases`,
      });
  });
export type Scope = z.infer<typeof scopeSchema>;

export const datasetSchema = z.enum(['acme', 'ocsp']);
export type Dataset = z.infer<typeof datasetSchema>;

const isControl = (c: string) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => ![...s].some(isControl), {
      message: 'must not contain control characters',
    });

/** What on-call submits to open a case. */
export const caseRequestSchema = z
  .strictObject({
    caseId: caseIdSchema,
    dataset: datasetSchema,
    scope: scopeSchema,
    reason: text(1000),
    ticket: text(128),
    requester: text(128),
  })
  .superRefine((request, ctx) => {
    const f = request.scope.filters;
    if (request.dataset === 'acme' && f.serials)
      ctx.addIssue({
        code: 'custom',
        path: ['scope', 'filters', 'serials'],
        message: 'ACME events carry no certificate serial; filter by account, IP or domain',
      });
    if (request.dataset === 'ocsp' && (f.accountIds || f.domains))
      ctx.addIssue({
        code: 'custom',
        path: ['scope', 'filters'],
        message: 'OCSP requests carry no account or domain; filter by IP or serial',
      });
  });
export type CaseRequest = z.infer<typeof caseRequestSchema>;

export const applyEventSchema = z.strictObject({
  case: caseRequestSchema,
  /** Only count what would be held (objects, bytes); change nothing. */
  dryRun: z.boolean().default(false),
});
export type ApplyEvent = z.infer<typeof applyEventSchema>;

export const releaseEventSchema = z.strictObject({
  caseId: caseIdSchema,
  requester: text(128),
  /** Why the case closes; kept in the audit trail. */
  reason: text(1000),
  dryRun: z.boolean().default(false),
});
export type ReleaseEvent = z.infer<typeof releaseEventSchema>;

export const statusEventSchema = z.union([
  z.strictObject({ caseId: caseIdSchema }),
  z.strictObject({ list: z.literal(true) }),
]);
export type StatusEvent = z.infer<typeof statusEventSchema>;

export type CaseStatus = 'applying' | 'active' | 'releasing' | 'released';

/** The S3 Batch Operations job a large case last started (docs/holds.md, "Scale"). */
export interface BatchJobRef {
  readonly jobId: string;
  readonly action: 'apply' | 'release';
  /** `hold-jobs/<caseId>/<action>-<attempt>/` in the investigations bucket: manifest and report. */
  readonly prefix: string;
  /** Rows in the manifest. */
  readonly versions: number;
  readonly attempt: number;
  /** Set once a job that ended Failed or Cancelled has been reported; the next run starts a new one. */
  readonly endedWith?: string;
}

/** The CTAS an OCSP case's apply last started (core/holds/ocsp-attempt.ts). */
export interface ExtractQueryRef {
  /** Athena's QueryExecutionId (Trino's query id locally). */
  readonly queryId: string;
  readonly attempt: number;
  /** Where this attempt's CTAS writes (core/naming extractAttemptPrefix); only it is ever held. */
  readonly prefix: string;
  readonly startedAt: string;
}

/** A case as the registry stores it. */
export interface CaseRecord extends CaseRequest {
  readonly status: CaseStatus;
  readonly createdAt: string;
  readonly releasedAt?: string;
  /** Versions (acme) or extract objects (ocsp) this case covers. */
  readonly objectCount: number;
  readonly bytes: number;
  /** OCSP: records extracted. */
  readonly recordCount?: number;
  /** OCSP: extract versions deleted at release. */
  readonly deletedVersions?: number;
  /**
   * Fingerprint of the request, so a rerun with other parameters is refused;
   * keyed by the case's data key (core/holds/case-secrets.ts).
   */
  readonly fingerprint: string;
  /**
   * The scope's filters, sealed under the case's data key; `scope.filters`
   * is stored empty. Unreadable once release has destroyed the key.
   */
  readonly sealedFilters?: string;
  readonly batchJob?: BatchJobRef;
  readonly extractQuery?: ExtractQueryRef;
}

/** Turns a zod failure into one readable line per problem. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'request'}: ${i.message}`)
    .join('; ');
}

/** A request the handler refuses; nothing was changed. */
export class RejectedRequest extends Error {
  readonly name = 'RejectedRequest';
}

/** Parses `input` or throws a RejectedRequest naming every problem. */
export function parseOrReject<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success)
    throw new RejectedRequest(`invalid request: ${describeIssues(result.error)}`);
  return result.data;
}
