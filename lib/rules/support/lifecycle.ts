import { ModelResource } from './app-model';
import { at, listOf } from './props';

/** One enabled lifecycle rule of a bucket, the numbers the rules reason about. */
export interface LifecycleRule {
  readonly id: string;
  /** Prefix or tag filter, as written; rules with the same scope act on the same objects. */
  readonly scope: string;
  readonly expirationDays?: number;
  readonly noncurrentDays?: number;
  readonly removesExpiredDeleteMarkers: boolean;
}

function days(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function scopeOf(rule: unknown): string {
  return JSON.stringify([at(rule, 'Prefix') ?? null, at(rule, 'TagFilters') ?? null]);
}

/** The bucket's enabled lifecycle rules. */
export function lifecycleRules(bucket: ModelResource): LifecycleRule[] {
  return listOf(at(bucket.properties, 'LifecycleConfiguration', 'Rules'))
    .filter((rule) => at(rule, 'Status') === 'Enabled')
    .map((rule, index) => ({
      id: String(at(rule, 'Id') ?? index),
      scope: scopeOf(rule),
      expirationDays: days(at(rule, 'ExpirationInDays')),
      noncurrentDays:
        days(at(rule, 'NoncurrentVersionExpiration', 'NoncurrentDays')) ??
        days(at(rule, 'NoncurrentVersionExpirationInDays')),
      removesExpiredDeleteMarkers: at(rule, 'ExpiredObjectDeleteMarker') === true,
    }));
}

/** Versioning is on, or implied by Object Lock. */
export function isVersioned(bucket: ModelResource): boolean {
  const status = at(bucket.properties, 'VersioningConfiguration', 'Status');
  const lock = bucket.properties.ObjectLockEnabled;
  return status === 'Enabled' || lock === true || lock === 'true';
}

/**
 * Object Lock default retention in days. `Years` are calendar years, so at
 * least 365 days each plus one leap day per four years.
 */
export function defaultRetentionDays(bucket: ModelResource): number | undefined {
  const retention = at(bucket.properties, 'ObjectLockConfiguration', 'Rule', 'DefaultRetention');
  const d = days(at(retention, 'Days'));
  const y = days(at(retention, 'Years'));
  return d ?? (y === undefined ? undefined : y * 365 + Math.floor(y / 4));
}

/**
 * Metadata key a bucket construct sets to state its promise, in days:
 * `{ minDays, maxDays }`, the shortest and longest an object version may live
 * (7 calendar years are at least 2,556 days).
 */
export const RETENTION_METADATA = 'logvault:retention';

/** The stated retention, if the bucket states one. */
export function statedRetention(bucket: ModelResource): { minDays?: number; maxDays?: number } {
  const stated = bucket.metadata[RETENTION_METADATA];
  return { minDays: days(at(stated, 'minDays')), maxDays: days(at(stated, 'maxDays')) };
}
