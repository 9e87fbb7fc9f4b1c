import { DATA_CLASS_TAG, DataClass, dataClasses } from './data-class';
import { prefixes } from '../naming';
import type { CfnTemplate } from '../template/types';
import { lockSpanDays } from '../config/archive-retention';

/** The promises a stage makes, in numbers, against which resting places are judged. */
export interface RetentionPromises {
  /** Subscriber archive lock mode. */
  readonly subscriberLockMode: 'COMPLIANCE' | 'GOVERNANCE';
  /** Subscriber archive minimum lock, in days. */
  readonly subscriberLockDays: number;
  /** Longest a subscriber landing object may wait, in days. */
  readonly landingExpiryDays: number;
}

/** A place in a template where data can rest, with what keeps its promise and what breaks it. */
export interface RestingPlace {
  readonly logicalId: string;
  readonly type: string;
  readonly dataClass?: DataClass;
  /** How the retention is enforced, in words, for reports. */
  readonly mechanism: string;
  /** Why this place breaks its class's promise; empty when it keeps it. */
  readonly findings: string[];
}

/**
 * Where subscriber data rests inside the archive bucket. The lock and the
 * lifecycle are bucket-wide (no prefix filter), so each keeps the promise;
 * quarantined objects (failed validation at sealing) are subscriber logs too.
 */
export const SUBSCRIBER_ARCHIVE_PREFIXES = [
  prefixes.acme,
  `${prefixes.quarantine}${prefixes.acme}`,
] as const;

/** The OCSP promise: every copy gone in less than this many days. */
export const OCSP_MAX_AGE_DAYS = 7;

type Properties = Record<string, unknown>;
export type { CfnTemplate } from '../template/types';

interface LifecycleRule {
  Status?: string;
  Prefix?: string;
  Filter?: unknown;
  ExpirationInDays?: number;
  NoncurrentVersionExpiration?: { NoncurrentDays?: number };
}

const restingTypes = new Set([
  'AWS::S3::Bucket',
  'AWS::Logs::LogGroup',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::Kinesis::Stream',
]);

function tagValue(properties: Properties, key: string): string | undefined {
  const tags = properties.Tags;
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t: { Key?: unknown }) => t.Key === key) as { Value?: unknown } | undefined;
  return typeof tag?.Value === 'string' ? tag.Value : undefined;
}

/** Days after which an enabled rule that covers every object expires it. */
function bucketWideExpiryDays(properties: Properties): number | undefined {
  const rules = ((properties.LifecycleConfiguration as Properties | undefined)?.Rules ??
    []) as LifecycleRule[];
  const days = rules
    .filter((r) => r.Status === 'Enabled' && !r.Prefix && r.Filter === undefined)
    .map((r) => r.ExpirationInDays)
    .filter((d): d is number => typeof d === 'number');
  return days.length > 0 ? Math.min(...days) : undefined;
}

function anyExpiryDays(properties: Properties): number | undefined {
  const rules = ((properties.LifecycleConfiguration as Properties | undefined)?.Rules ??
    []) as LifecycleRule[];
  const days = rules.filter((r) => r.Status === 'Enabled').map((r) => r.ExpirationInDays);
  const numbers = days.filter((d): d is number => typeof d === 'number');
  return numbers.length > 0 ? Math.min(...numbers) : undefined;
}

function isVersioned(properties: Properties): boolean {
  return (properties.VersioningConfiguration as Properties | undefined)?.Status !== undefined;
}

function objectLock(properties: Properties): { enabled: boolean; mode?: string; days?: number } {
  const config = properties.ObjectLockConfiguration as
    { Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } } } | undefined;
  const retention = config?.Rule?.DefaultRetention;
  const days =
    retention?.Days ??
    (retention?.Years !== undefined ? lockSpanDays({ years: retention.Years }).min : undefined);
  return { enabled: properties.ObjectLockEnabled === true, mode: retention?.Mode, days };
}

/**
 * S3 rounds `creation + Days` up to the next midnight UTC, so an object can
 * live up to (Days + 1) days before it is eligible for removal.
 */
export function worstCaseBucketAgeDays(expiryDays: number): number {
  return expiryDays + 1;
}

function judgeBucket(
  dataClass: DataClass,
  p: Properties,
  promises: RetentionPromises,
): [string, string[]] {
  const findings: string[] = [];
  const expiry = bucketWideExpiryDays(p);
  const lock = objectLock(p);
  switch (dataClass) {
    case 'ocsp-personal': {
      if (expiry === undefined) findings.push('no enabled lifecycle rule expires every object');
      else if (worstCaseBucketAgeDays(expiry) > OCSP_MAX_AGE_DAYS)
        findings.push(
          `expiry after ${expiry} days can keep data ${worstCaseBucketAgeDays(expiry)} days (limit < 7)`,
        );
      if (isVersioned(p)) findings.push('versioned: expiry would leave noncurrent copies behind');
      if (lock.enabled) findings.push('Object Lock would keep copies past expiry');
      return [`lifecycle expiry ${expiry ?? '-'} d, unversioned`, findings];
    }
    case 'subscriber': {
      if (!lock.enabled) findings.push('Object Lock not enabled');
      if (lock.mode !== promises.subscriberLockMode)
        findings.push(
          `default retention mode ${lock.mode ?? 'none'}, promised ${promises.subscriberLockMode}`,
        );
      if ((lock.days ?? 0) < promises.subscriberLockDays)
        findings.push(
          `default retention ${lock.days ?? 0} days, promised ${promises.subscriberLockDays}`,
        );
      const anyExpiry = anyExpiryDays(p);
      if (anyExpiry !== undefined && anyExpiry < promises.subscriberLockDays)
        findings.push(
          `a lifecycle rule expires objects after ${anyExpiry} days, before the lock ends`,
        );
      const held = SUBSCRIBER_ARCHIVE_PREFIXES.join(', ');
      return [`Object Lock ${lock.mode ?? 'none'} ${lock.days ?? 0} d over ${held}`, findings];
    }
    case 'subscriber-landing': {
      if (lock.enabled) findings.push('landing must not be locked (sealing deletes from it)');
      if (isVersioned(p))
        findings.push('versioned: sealed objects would linger as noncurrent versions');
      if (expiry === undefined || expiry > promises.landingExpiryDays)
        findings.push(
          `expiry ${expiry ?? 'none'}, promised at most ${promises.landingExpiryDays} days`,
        );
      return [`lifecycle expiry ${expiry ?? '-'} d, unlocked`, findings];
    }
    case 'ocsp-investigation': {
      if (!lock.enabled)
        findings.push('Object Lock must be enabled so extracts can be legally held');
      if (lock.days !== undefined)
        findings.push('no default retention allowed: release must be able to delete');
      if (anyExpiryDays(p) !== undefined) findings.push('lifecycle must not expire held evidence');
      return ['legal hold per case; deleted at release', findings];
    }
    case 'operational':
      if (expiry === undefined) findings.push('operational bucket without expiry');
      return [`lifecycle expiry ${expiry ?? '-'} d`, findings];
    case 'aggregate':
      return ['kept; holds no personal data', findings];
  }
}

function judgeLogGroup(dataClass: DataClass, p: Properties): [string, string[]] {
  const days = p.RetentionInDays as number | undefined;
  const findings: string[] = [];
  if (days === undefined) findings.push('log group has no retention');
  if (dataClass === 'ocsp-personal' && days !== undefined && days >= OCSP_MAX_AGE_DAYS)
    findings.push(`retention ${days} days, OCSP data must be gone in < 7`);
  if (
    dataClass === 'subscriber' ||
    dataClass === 'subscriber-landing' ||
    dataClass === 'ocsp-investigation'
  )
    findings.push(`log groups cannot hold ${dataClass} data (no Object Lock)`);
  return [`log retention ${days ?? 'never expires'} d`, findings];
}

/** Every place data can rest in `template`, judged against its class's promise. */
export function takeInventory(template: CfnTemplate, promises: RetentionPromises): RestingPlace[] {
  const places: RestingPlace[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const p = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::Function') {
      const explicit = (p.LoggingConfig as Properties | undefined)?.LogGroup !== undefined;
      if (!explicit)
        places.push({
          logicalId,
          type: 'AWS::Logs::LogGroup (implicit)',
          mechanism: 'none',
          findings: [
            'function logs to an implicit log group that never expires; give it an explicit one',
          ],
        });
      continue;
    }
    if (!restingTypes.has(resource.Type)) continue;
    const tag = tagValue(p, DATA_CLASS_TAG);
    const dataClass = dataClasses.find((c) => c === tag);
    if (dataClass === undefined) {
      places.push({
        logicalId,
        type: resource.Type,
        mechanism: 'none',
        findings: [`unclassified: tag it with ${DATA_CLASS_TAG} (${dataClasses.join(' | ')})`],
      });
      continue;
    }
    const [mechanism, findings] =
      resource.Type === 'AWS::S3::Bucket'
        ? judgeBucket(dataClass, p, promises)
        : resource.Type === 'AWS::Logs::LogGroup'
          ? judgeLogGroup(dataClass, p)
          : ['managed by the owning feature', []];
    places.push({ logicalId, type: resource.Type, dataClass, mechanism, findings });
  }
  return places;
}
