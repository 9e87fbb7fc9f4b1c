import { sqlInteger, sqlString } from '../../query/sql-literals';
import { fillSql, readSqlFile } from '../../query/sql-file';
import { BoundedCount, ContributionBounds } from './bounding';
import { PublicationWindow } from './finality';

/** The bounding step as a statement (sql/jobs/ocsp-cert-daily-bounded.sql), every value a literal. */
export function boundedCountsSql(
  day: string,
  window: PublicationWindow,
  bounds: ContributionBounds,
): string {
  return fillSql(readSqlFile('jobs/ocsp-cert-daily-bounded.sql'), {
    day: sqlString(day),
    first_hour: sqlString(window.firstHour),
    last_hour: sqlString(window.lastHour),
    per_client: sqlInteger(bounds.perClient),
    per_prefix: sqlInteger(bounds.perPrefix),
    certificates_per_prefix: sqlInteger(bounds.certificatesPerPrefix),
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
