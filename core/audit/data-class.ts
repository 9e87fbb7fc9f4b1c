/** Tag every resting place carries; the privacy inventory and `logvault audit` read it. */
export const DATA_CLASS_TAG = 'logvault:data-class';

/**
 * What a resting place may hold, and so which retention rule it must obey
 * (see test/privacy/inventory.test.ts and docs/privacy-inventory.md).
 */
export const dataClasses = [
  /** OCSP request data (client IP, browser, OS, serial): every copy gone in < 7 days. */
  'ocsp-personal',
  /** OCSP records extracted for a case: locked while the case is open, deleted at release. */
  'ocsp-investigation',
  /** Subscriber / ACME logs: Object Lock for the configured years. */
  'subscriber',
  /** Subscriber logs waiting to be sealed: unlocked, short expiry. */
  'subscriber-landing',
  /** Aggregates that identify no user or device: kept long-term, publishable. */
  'aggregate',
  /** Logs about logvault itself; bounded retention. */
  'operational',
] as const;

export type DataClass = (typeof dataClasses)[number];
