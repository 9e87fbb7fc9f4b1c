import { parseArgs } from 'node:util';
import { startTsaServer } from './server';

/**
 * The RFC 3161 time-stamping stand-in as a process (scripts/tsa.sh starts it):
 * `node --import tsx local/tsa/main.ts --dir .run/tsa --port 18083`.
 */

const USAGE = 'usage: main.ts --dir DIR [--port 18083] [--host 127.0.0.1]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      port: { type: 'string', default: '18083' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  if (values.dir === undefined) throw new Error('--dir is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('--port must be a whole number from 0 to 65535');
  const server = await startTsaServer({
    dir: values.dir,
    host: values.host,
    port,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  console.log(`TSA stand-in at ${server.url}, trust directory ${server.trustDir}`);
}

main().catch((error: unknown) => {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
});
