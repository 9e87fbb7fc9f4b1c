import { jobPrefix, jobToken, manifestCsv, parseReportCsv } from '../../core/holds/batch-manifest';

describe('S3 Batch Operations manifest and report', () => {
  it('writes one URL-encoded Bucket,Key,VersionId row per version', () => {
    expect(
      manifestCsv([
        { bucket: 'b', key: 'acme/2026/11/20/09/part 1,ä+%', versionId: 'v1', size: 1 },
        { bucket: 'b', key: 'acme/x', versionId: 'v2', size: 1 },
      ]),
    ).toBe('b,acme%2F2026%2F11%2F20%2F09%2Fpart%201%2C%C3%A4%2B%25,v1\nb,acme%2Fx,v2\n');
  });

  it('reads report rows back, decoding keys and quoted messages', () => {
    const key = 'acme/2026/11/20/09/part 1,ä+%';
    const csv =
      `b,${encodeURIComponent(key)},v1,succeeded,200,,Successful\n` +
      'b,acme%2Fgone,v9,failed,404,NoSuchVersion,"The specified version does not exist, ""v9"""\r\n';
    expect(parseReportCsv(csv)).toEqual([
      {
        bucket: 'b',
        key,
        versionId: 'v1',
        succeeded: true,
        errorCode: '',
        httpStatus: '200',
        message: 'Successful',
      },
      {
        bucket: 'b',
        key: 'acme/gone',
        versionId: 'v9',
        succeeded: false,
        errorCode: 'NoSuchVersion',
        httpStatus: '404',
        message: 'The specified version does not exist, "v9"',
      },
    ]);
  });

  it('refuses a report line that is not a task row', () => {
    expect(() => parseReportCsv('b,k,v1,succeeded\njunk\n')).toThrow(
      'completion report line 2 has 1 fields, expected 7',
    );
  });

  it('derives one stable token per case, action, attempt and manifest, within CreateJob limits', () => {
    const id = 'C'.repeat(64);
    const rows = 'b,k,v1\n';
    expect(jobToken(id, 'apply', 1, rows)).toBe(jobToken(id, 'apply', 1, rows));
    const tokens = new Set([
      jobToken(id, 'apply', 1, rows),
      jobToken(id, 'apply', 2, rows),
      jobToken(id, 'release', 1, rows),
      jobToken('CASE-2', 'apply', 1, rows),
      jobToken(id, 'apply', 1, 'b,k,v2\n'),
    ]);
    expect(tokens.size).toBe(5);
    for (const t of tokens) expect(t.length).toBeLessThanOrEqual(64);
    expect(jobPrefix('CASE-1', 'release', 2)).toBe('hold-jobs/CASE-1/release-2/');
  });
});
