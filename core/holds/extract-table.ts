import type { GlueClient } from '@aws-sdk/client-glue';
import { extractTableName } from '../naming';
import { deleteTableIfPresent } from '../query/identifier-table';

/**
 * The OCSP extract's table (`hold_extract_<id>`) is dropped by the apply
 * right after its CTAS; a crash between the two leaves it in the Glue
 * catalog, naming a location under the case's prefix. Release drops it
 * again, so no table outlives its case. Through the Glue API, which is what
 * Athena's `DROP TABLE` of an external table does: release runs no SQL
 * and gets only `glue:DeleteTable` on `hold_extract_*`, not Athena.
 * A table that is not there is what a release expects: not an error.
 */
export function dropExtractTable(
  glue: GlueClient,
  database: string,
  caseId: string,
): Promise<boolean> {
  return deleteTableIfPresent(glue, database, extractTableName(caseId));
}
