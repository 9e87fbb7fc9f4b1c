import { proxyOptions, USAGE, UsageError } from './options';
import { CONTROL_PATH, startLatencyProxy } from './server';
import { formatStats } from './stats';

/**
 * The latency proxy as a process:
 *   node --import tsx local/latency-proxy/main.ts --target http://127.0.0.1:4566 --port 4580 --profile aws
 * Point clients at it (AWS_ENDPOINT_URL=http://127.0.0.1:4580). Counts per
 * operation: GET /__latency-proxy/stats (JSON), printed on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const options = proxyOptions(process.argv.slice(2));
  const proxy = await startLatencyProxy(options);
  console.log(
    `latency proxy at ${proxy.url} -> ${options.target} (profile ${proxy.profile.name}); ` +
      `stats at ${proxy.url}${CONTROL_PATH}stats`,
  );
  const stop = () => {
    console.log(formatStats(proxy.stats()));
    void proxy.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof UsageError || error instanceof TypeError ? `${message}\n${USAGE}` : message,
  );
  process.exit(2);
});
