import { Readable } from 'node:stream';
import {
  AcceptedLine,
  BATCH_WIRE_BYTES,
  FIREHOSE,
  Packer,
  backoffMs,
  billedBytes,
  classifyFailure,
  defaultRetryPolicy,
  splitLines,
} from '../../../../core/ingest/shipper';

const line = (lineNo: number, bytes: number): AcceptedLine => ({
  lineNo,
  text: 'x'.repeat(bytes - 1) + '\n',
});

describe('Packer', () => {
  it('keeps a full batch under the 4 MB Firehose request limit even if AWS counts it after base64', () => {
    // The quota says neither before or after base64, nor MB or MiB: the strictest reading is
    // 4,000,000 bytes on the wire.
    expect(BATCH_WIRE_BYTES).toBeLessThanOrEqual(4_000_000);
    expect(FIREHOSE.maxBatchBytes).toBeGreaterThanOrEqual(2 * FIREHOSE.maxRecordBytes);
  });

  it('fills records up to 1000 KiB with whole lines and batches within 500 records and the batch byte limit', () => {
    const packer = new Packer();
    const batches = [];
    // 30,000 lines of 333 bytes: about 9.5 MiB.
    for (let i = 1; i <= 30_000; i++) batches.push(...packer.add(line(i, 333)));
    batches.push(...packer.drain());
    const records = batches.flat();
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(FIREHOSE.maxBatchRecords);
      expect(batch.reduce((n, r) => n + r.data.length, 0)).toBeLessThanOrEqual(
        FIREHOSE.maxBatchBytes,
      );
    }
    for (const r of records) {
      expect(r.data.length).toBeLessThanOrEqual(FIREHOSE.maxRecordBytes);
      expect(r.data.length % 333).toBe(0);
      expect(r.data[r.data.length - 1]).toBe(0x0a);
    }
    expect(records.flatMap((r) => r.lineNos)).toEqual(
      Array.from({ length: 30_000 }, (_, i) => i + 1),
    );
    const billed = records.reduce((n, r) => n + billedBytes(r.data.length), 0);
    expect(billed / (30_000 * 333)).toBeLessThan(1.01);
  });

  it('closes a batch at 500 records when records are small', () => {
    const packer = new Packer({ ...FIREHOSE, maxRecordBytes: 100 });
    const batches = [];
    for (let i = 1; i <= 1200; i++) batches.push(...packer.add(line(i, 100)));
    batches.push(...packer.drain());
    expect(batches.map((b) => b.length)).toEqual([500, 500, 200]);
  });

  it('closes a batch before its bytes pass the limit', () => {
    const packer = new Packer({ maxRecordBytes: 1000, maxBatchRecords: 500, maxBatchBytes: 2500 });
    const batches = [];
    for (let i = 1; i <= 10; i++) batches.push(...packer.add(line(i, 400)));
    batches.push(...packer.drain());
    for (const b of batches)
      expect(b.reduce((n, r) => n + r.data.length, 0)).toBeLessThanOrEqual(2500);
    expect(batches.flat().flatMap((r) => r.lineNos)).toHaveLength(10);
  });

  it('keeps nothing after drain and drains nothing when empty', () => {
    const packer = new Packer();
    packer.add(line(1, 10));
    expect(packer.pendingLines).toBe(1);
    expect(packer.drain()).toHaveLength(1);
    expect(packer.pendingLines).toBe(0);
    expect(packer.drain()).toEqual([]);
  });
});

describe('billedBytes', () => {
  it.each([
    [1, 5120],
    [250, 5120],
    [5120, 5120],
    [5121, 10240],
    [1_024_000, 1_024_000],
  ])('bills %d bytes as %d', (bytes, billed) => expect(billedBytes(bytes)).toBe(billed));
});

describe('splitLines', () => {
  const collect = async (chunks: (string | Buffer)[], max = 100) => {
    const out = [];
    for await (const l of splitLines(Readable.from(chunks), max))
      out.push(
        'bytes' in l
          ? { n: l.lineNo, text: l.bytes.toString() }
          : { n: l.lineNo, oversize: l.oversizeBytes },
      );
    return out;
  };

  it('splits across chunk boundaries, drops CR, keeps a last line without newline', async () => {
    expect(await collect(['ab', 'c\r\nde', '\n\nf'])).toEqual([
      { n: 1, text: 'abc' },
      { n: 2, text: 'de' },
      { n: 3, text: '' },
      { n: 4, text: 'f' },
    ]);
  });

  it('reports an over-long line by size without holding it, and goes on', async () => {
    expect(await collect(['x'.repeat(60), 'y'.repeat(60), 'z\nok\n'])).toEqual([
      { n: 1, oversize: 121 },
      { n: 2, text: 'ok' },
    ]);
  });

  it('yields nothing for empty input', async () => {
    expect(await collect([])).toEqual([]);
  });
});

describe('retry policy', () => {
  it('backs off with full jitter under a doubling, capped ceiling', () => {
    expect(backoffMs(defaultRetryPolicy, 1, () => 0.999)).toBe(99);
    expect(backoffMs(defaultRetryPolicy, 4, () => 0.999)).toBe(799);
    expect(backoffMs(defaultRetryPolicy, 30, () => 0.999)).toBe(9990);
    expect(backoffMs(defaultRetryPolicy, 4, () => 0)).toBe(0);
  });

  it.each([
    [{ name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 500 } }, 'throttled'],
    [{ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }, 'throttled'],
    [{ name: 'Error', $metadata: { httpStatusCode: 502 } }, 'transient'],
    [{ name: 'Error', code: 'ECONNRESET', $metadata: {} }, 'transient'],
    [
      { name: 'ResourceNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
      'permanent',
    ],
    [
      { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } },
      'permanent',
    ],
  ])('classifies %j as %s', (error, kind) => expect(classifyFailure(error)).toBe(kind));
});
