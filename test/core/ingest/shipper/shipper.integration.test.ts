import { FirehoseClient } from '@aws-sdk/client-firehose';
import { LogType, logTypes } from '../../../../core/ingest/schemas';
import { InputLine, RejectedLine, Shipper, ShipperOptions } from '../../../../core/ingest/shipper';
import { acmeTraffic, ocspTraffic, TrafficOptions } from '../../../../core/traffic';
import { startFaultProxy } from '../../../support/fault-proxy';
import { FirehoseSandbox, firehoseSandbox, reconcile } from '../../../support/firehose-sandbox';
import { useStandins } from '../../../support/standins';
import { lineIdOf } from '../../../../core/ingest/line-id';

const clients = useStandins();
const traffic = (lines: number): TrafficOptions => ({
  seed: 7,
  start: new Date('2026-11-27T00:00:00Z'),
  end: new Date('2026-11-28T00:00:00Z'),
  lines,
});

/** Where and when these tests ingest: at the traffic's end, inside the plausibility window. */
const SOURCE = 'test:shipper';
const NOW = Date.parse('2026-11-28T00:00:00Z');
const ingestion = { source: SOURCE, clock: () => NOW };

/** Input lines as the shipper reads them, and the stored lines it should deliver. */
function inputOf(
  type: LogType,
  items: Iterable<unknown>,
): { input: InputLine[]; stored: string[] } {
  const input: InputLine[] = [];
  const stored: string[] = [];
  for (const item of items) {
    const line = { lineNo: input.length + 1, bytes: Buffer.from(JSON.stringify(item)) };
    input.push(line);
    const line_id = lineIdOf({ source: SOURCE, position: line.lineNo, bytes: line.bytes }, 0);
    stored.push(JSON.stringify({ ...logTypes[type].input.parse(item), line_id }));
  }
  return { input, stored };
}

async function ship(
  input: InputLine[],
  options: Partial<ShipperOptions> & Pick<ShipperOptions, 'client' | 'streams' | 'type'>,
) {
  const rejects: RejectedLine[] = [];
  const dead: { lines: string; error: string }[] = [];
  const shipper = new Shipper({
    ...ingestion,
    sinks: {
      reject: (r) => void rejects.push(r),
      deadLetter: (lines, _n, error) => void dead.push({ lines, error }),
    },
    ...options,
  });
  for (const line of input) await shipper.write(line);
  const stats = await shipper.close();
  return { stats, rejects, dead };
}

const sandboxes: FirehoseSandbox[] = [];
afterAll(async () => {
  for (const s of sandboxes) await s.remove();
});
async function sandbox(name: string, prefix?: string) {
  const s = await firehoseSandbox(clients, name, prefix);
  sandboxes.push(s);
  return s;
}

describe('Shipper against the stand-in', () => {
  it('delivers N OCSP lines as exactly N stored lines, packed into few records', async () => {
    const box = await sandbox('ship-ocsp');
    const { input, stored } = inputOf('ocsp', ocspTraffic(traffic(20_000)));
    const { stats, rejects, dead } = await ship(input, {
      client: clients.firehose,
      streams: [box.stream],
      type: 'ocsp',
      ...ingestion,
    });
    expect(rejects).toEqual([]);
    expect(dead).toEqual([]);
    expect(stats).toMatchObject({
      linesRead: 20_000,
      accepted: 20_000,
      delivered: 20_000,
      retries: 0,
    });
    expect(reconcile(stored, await box.readLines())).toEqual({
      lost: 0,
      duplicates: 0,
      unexpected: 0,
    });
    // ~9 MB in ~1000 KiB records: a handful of records (each 4 MiB batch may close one partly
    // filled record), billed within 2 % of the raw bytes.
    const fullRecords = Math.ceil(stats.bytes / (1000 * 1024));
    expect(stats.records).toBeLessThanOrEqual(fullRecords + Math.ceil(stats.bytes / 4_194_304));
    expect(stats.billedBytes / stats.bytes).toBeLessThan(1.02);
  });

  it('delivers ACME events with bodies intact and spreads batches over several streams', async () => {
    const a = await sandbox('ship-acme-a', 'acme/');
    const b = await sandbox('ship-acme-b', 'acme/');
    const { input, stored } = inputOf('acme', acmeTraffic(traffic(6000)));
    const { stats } = await ship(input, {
      client: clients.firehose,
      streams: [a.stream, b.stream],
      type: 'acme',
    });
    expect(stats.delivered).toBe(6000);
    const fromA = await a.readLines();
    const fromB = await b.readLines();
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
    expect(reconcile(stored, [...fromA, ...fromB])).toEqual({
      lost: 0,
      duplicates: 0,
      unexpected: 0,
    });
  });

  it('sends a slow trickle within maxDelayMs, before close', async () => {
    const box = await sandbox('ship-trickle');
    const { input, stored } = inputOf('ocsp', ocspTraffic(traffic(3)));
    const shipper = new Shipper({
      client: clients.firehose,
      streams: [box.stream],
      type: 'ocsp',
      ...ingestion,
      maxDelayMs: 50,
      sinks: { reject: () => undefined, deadLetter: () => undefined },
    });
    for (const line of input) await shipper.write(line);
    await new Promise((r) => setTimeout(r, 500));
    expect(reconcile(stored, await box.readLines())).toEqual({
      lost: 0,
      duplicates: 0,
      unexpected: 0,
    });
    expect((await shipper.close()).delivered).toBe(3);
  });

  it('loses nothing through throttling, partial failures, 5xx and dropped connections', async () => {
    const box = await sandbox('ship-faults');
    const proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL!, {
      throttle: 0.15,
      partial: 0.2,
      serverError: 0.1,
      dropBefore: 0.05,
      dropAfter: 0.05,
    });
    try {
      const { input, stored } = inputOf('ocsp', ocspTraffic(traffic(10_000)));
      const { stats, dead } = await ship(input, {
        client: new FirehoseClient({ endpoint: proxy.url, maxAttempts: 1 }),
        streams: [box.stream],
        type: 'ocsp',
        ...ingestion,
        // Small records and batches: hundreds of calls, so every fault happens many times.
        limits: { maxRecordBytes: 8 * 1024, maxBatchRecords: 4, maxBatchBytes: 4 * 1024 * 1024 },
        retry: { maxAttempts: 40, baseDelayMs: 2, maxDelayMs: 40 },
      });
      for (const count of Object.values(proxy.injected)) expect(count).toBeGreaterThan(5);
      expect(dead).toEqual([]);
      const result = reconcile(stored, await box.readLines());
      expect(result.lost).toBe(0);
      expect(result.unexpected).toBe(0);
      // Duplicates only come from calls that failed after moto stored them; the shipper counts those as possible.
      expect(result.duplicates).toBeLessThanOrEqual(stats.possibleDuplicates);
      expect(stats.delivered).toBe(10_000);
      expect(stats.partialFailures).toBe(proxy.injected.partial);
      expect(stats.retries).toBeGreaterThan(0);
      console.log(
        `faults ${JSON.stringify(proxy.injected)}; duplicates read back ${result.duplicates}, ` +
          `possible ${stats.possibleDuplicates}; retries ${stats.retries}`,
      );
    } finally {
      await proxy.close();
    }
  });

  it('holds a bounded number of lines while Firehose is slow (backpressure)', async () => {
    const box = await sandbox('ship-slow');
    const proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL!, {}, { delayMs: 100 });
    try {
      const { input, stored } = inputOf('ocsp', ocspTraffic(traffic(300)));
      const shipper = new Shipper({
        client: new FirehoseClient({ endpoint: proxy.url, maxAttempts: 1 }),
        streams: [box.stream],
        type: 'ocsp',
        ...ingestion,
        concurrency: 2,
        // About 3 lines per record, 2 records per batch.
        limits: { maxRecordBytes: 1024, maxBatchRecords: 2, maxBatchBytes: 4 * 1024 * 1024 },
        sinks: { reject: () => undefined, deadLetter: () => undefined },
      });
      let mostHeld = 0;
      for (const line of input) {
        await shipper.write(line);
        mostHeld = Math.max(mostHeld, shipper.stats.accepted - shipper.stats.delivered);
      }
      const stats = await shipper.close();
      // `concurrency` batches sending, one full batch waiting for a slot, one batch
      // filling in the packer (its records plus the open one), and the line just read.
      const linesPerBatch = 2 * 3;
      expect(mostHeld).toBeLessThanOrEqual((2 + 2) * linesPerBatch + 1);
      expect(stats.delivered).toBe(300);
      expect(reconcile(stored, await box.readLines())).toEqual({
        lost: 0,
        duplicates: 0,
        unexpected: 0,
      });
    } finally {
      await proxy.close();
    }
  });

  it('dead-letters, never drops, what Firehose keeps refusing', async () => {
    const box = await sandbox('ship-outage');
    const proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL!, { throttle: 1 });
    try {
      const { input, stored } = inputOf('ocsp', ocspTraffic(traffic(500)));
      const { stats, dead } = await ship(input, {
        client: new FirehoseClient({ endpoint: proxy.url, maxAttempts: 1 }),
        streams: [box.stream],
        type: 'ocsp',
        ...ingestion,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      });
      expect(stats).toMatchObject({ delivered: 0, deadLettered: 500, throttled: 3 });
      expect(dead[0].error).toMatch(/ServiceUnavailableException|ThrottlingException/);
      const deadLines = dead.flatMap((d) => d.lines.slice(0, -1).split('\n'));
      expect(reconcile(stored, deadLines)).toEqual({ lost: 0, duplicates: 0, unexpected: 0 });
    } finally {
      await proxy.close();
    }
  });

  it('dead-letters at once, without retrying, when the stream does not exist', async () => {
    const { input } = inputOf('ocsp', ocspTraffic(traffic(10)));
    const { stats, dead } = await ship(input, {
      client: clients.firehose,
      streams: ['logvault-no-such-stream'],
      type: 'ocsp',
      ...ingestion,
    });
    expect(stats).toMatchObject({ deadLettered: 10, retries: 0, batches: 1 });
    expect(dead[0].error).toMatch(/ResourceNotFoundException/);
  });
});
