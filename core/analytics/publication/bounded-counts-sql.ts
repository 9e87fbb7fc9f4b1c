import { SqlText, renderSqlFile, sql } from '../../query/sql';
import { BoundedCount, ContributionBounds } from './bounding';
import { PublicationWindow } from './finality';

/** The bounding step as a statement (sql/jobs/ocsp-cert-daily-bounded.sql), every value a typed parameter. */
export function boundedCountsSql(
  day: string,
  window: PublicationWindow,
  bounds: ContributionBounds,
): SqlText {
  return renderSqlFile('jobs/ocsp-cert-daily-bounded.sql', {
    day: sql.string(day),
    first_hour: sql.string(window.firstHour),
    last_hour: sql.string(window.lastHour),
    per_client: sql.integer(bounds.perClient),
    per_prefix: sql.integer(bounds.perPrefix),
    certificates_per_prefix: sql.integer(bounds.certificatesPerPrefix),
  });
}

/** The statement's rows (serial, issuer_key_hash, bounded_requests as the engines render them). */
export function boundedCountsOf(rows: readonly (readonly (string | null)[])[]): BoundedCount[] {
  return rows.map(([serial, issuerKeyHash, boundedRequests]) => {
    const n = Number(boundedRequests);
    if (!serial || !issuerKeyHash || !Number.isSafeInteger(n) || n < 1)
      throw new Error(
        `unexpected bounded-count row: ${JSON.stringify([serial, issuerKeyHash, boundedRequests])}`,
      );
    return { serial, issuerKeyHash, boundedRequests: n };
  });
}
