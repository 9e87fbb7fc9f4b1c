import { renderTable } from '../../../core/format/table';
import { databaseName } from '../../../core/naming';
import { formatDay } from '../../../core/time/days';
import { ScenarioContext, logvault } from '../context';
import { NGINX_LINES, NGINX_SERIAL } from './ship';

/** The CLI on Trino, the engine behind Athena, over the stage's catalog on moto. */
export const onTrino = (stage: string) => ({
  LOGVAULT_QUERY_ENGINE: 'trino',
  LOGVAULT_GLUE_DATABASE: databaseName(stage),
});

/** Step 4: `logvault aggregate` for today so far, then the top certificates by `logvault query`. */
export async function aggregateAndQuery(ctx: ScenarioContext): Promise<string> {
  const { stage, print, lines } = ctx.options;
  const trino = onTrino(stage);
  // Everything shipped arrived today; --today aggregates the day so far (the
  // scheduled run for the day replaces it once the day is complete).
  print(await logvault(['aggregate', '--today', '--stage', stage], trino));
  // --format ndjson prints one JSON object per row, numbers as JSON numbers.
  const query = [
    'query',
    'top-certificates',
    '--date',
    formatDay(new Date()),
    '--format',
    'ndjson',
  ];
  const top = (await logvault(query, trino))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, string | number>);
  print(
    renderTable(
      ['RANK', 'SERIAL', 'REQUESTS', 'DISTINCT CLIENTS'],
      top.slice(0, 5).map((r) => [r.rank, r.serial, r.requests, r.distinct_clients]),
    ),
  );
  const total = top.reduce((sum, r) => sum + Number(r.requests), 0);
  ctx.check(
    'the top certificates are ranked by requests',
    Number(top[0]!.requests) >= Number(top[1]!.requests),
  );
  ctx.check(
    `the top-${top.length} account for at most the ${lines + NGINX_LINES} shipped requests`,
    total <= lines + NGINX_LINES,
  );
  await checkNginxCounted(ctx);
  ctx.topSerial = String(top[0]!.serial);
  ctx.facts.topCertificates = top.slice(0, 5);
  return `${top.length} certificates ranked; the busiest drew ${top[0]!.requests} requests`;
}

/** The nginx log's requests (a non-JSON source) are counted for their certificate, each once. */
async function checkNginxCounted(ctx: ScenarioContext): Promise<void> {
  const volume = ['query', 'cert-volume', '--date', formatDay(new Date()), '--format', 'ndjson'];
  const rows = (
    await logvault([...volume, '--param', `serial=${NGINX_SERIAL}`], onTrino(ctx.options.stage))
  )
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, string>);
  const requests = rows.reduce((sum, r) => sum + Number(r.requests), 0);
  ctx.check(
    `cert-volume counts the ${NGINX_LINES} nginx requests for ${NGINX_SERIAL}`,
    requests === NGINX_LINES,
  );
}
