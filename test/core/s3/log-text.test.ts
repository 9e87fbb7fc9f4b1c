import { gzipSync } from 'node:zlib';
import { logObjectBytes } from '../../../core/s3/log-text';

describe('logObjectBytes: log objects as Firehose delivers them', () => {
  const lines = '{"a":1}\n{"a":2}\n';

  it('decompresses GZIP whatever the key says', () => {
    expect(logObjectBytes(gzipSync(lines)).toString('utf8')).toBe(lines);
  });

  it('passes plain text through, as moto delivers it', () => {
    expect(logObjectBytes(Buffer.from(lines)).toString('utf8')).toBe(lines);
  });

  it('refuses a GZIP stream that does not decompress instead of reading it as text', () => {
    const cut = gzipSync(lines).subarray(0, 12);
    expect(() => logObjectBytes(cut)).toThrow(/GZIP stream does not decompress/);
  });
});
