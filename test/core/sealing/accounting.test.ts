import type { ObjectVersion } from '@aws-sdk/client-s3';
import type { SealedEntry } from '../../../core/sealing/digest';
import { accountFor, isData, namedVersions } from '../../../core/sealing/verify/accounting';

const at = (iso: string) => new Date(iso);
const version = (Key: string, written: string, VersionId = 'v1'): ObjectVersion => ({
  Key,
  VersionId,
  LastModified: at(written),
});
const entry = (key: string, versionId = 'v1') => ({ key, versionId }) as SealedEntry;

/** Range 10:00–12:00 on 2026-11-28, digests due through 13:00, scan window 4 days. */
const scope = (entries: SealedEntry[] = []) => ({
  named: namedVersions(entries),
  from: Date.parse('2026-11-28T10:00:00Z'),
  end: Date.parse('2026-11-28T12:00:00Z'),
  lastDue: at('2026-11-28T13:00:00Z'),
  scanDays: 4,
});

describe('accountFor', () => {
  it('accepts a version a verified digest names, and counts legitimate ones outside the range', () => {
    const named = version('acme/2026/11/28/10/a', '2026-11-28T10:05:00Z');
    const earlier = version('acme/2026/11/27/23/b', '2026-11-28T01:00:00Z');
    const result = accountFor([named, earlier], scope([entry(named.Key!)]));
    expect(result).toEqual({ findings: [], pending: [], outsideRange: 1 });
  });

  it('reports a version in the range no digest names, even under a legitimate key', () => {
    const forged = version('acme/2026/11/28/10/a', '2026-11-28T10:05:00Z', 'v2');
    const { findings } = accountFor([forged], scope([entry(forged.Key!, 'v1')]));
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'unaccounted-object',
        versionId: 'v2',
        detail: expect.stringMatching(/in no digest of the range/),
      }),
    ]);
  });

  it.each([
    ['an older date folder than the scan window', 'acme/2026/11/23/23/x'],
    ['a key outside the date layout', 'acme/foo'],
    ['a partial date path', 'acme/2026/x'],
    ['an old quarantine folder', 'quarantine/acme/2026/10/01/00/x'],
    ['another top-level prefix', 'other/x'],
  ])('reports %s wherever it was written', (_, key) => {
    // Outside the range and after the last due digest: a legitimate key would be pending.
    const { findings, pending } = accountFor([version(key, '2026-11-28T14:30:00Z')], scope());
    expect(findings).toEqual([expect.objectContaining({ kind: 'unaccounted-object', key })]);
    expect(pending).toEqual([]);
  });

  it('keeps the scan window exact: four days back is looked at, five is not', () => {
    const written = '2026-11-28T08:00:00Z';
    const inside = version('acme/2026/11/24/23/x', written);
    const outside = version('acme/2026/11/23/23/x', written);
    const { findings, outsideRange } = accountFor([inside, outside], scope());
    expect(findings.map((f) => f.key)).toEqual([outside.Key]);
    expect(outsideRange).toBe(1);
  });

  it('counts a version whose digest is not due as pending', () => {
    const fresh = version('quarantine/acme/2026/11/28/14/x', '2026-11-28T14:30:00Z');
    expect(accountFor([fresh], scope())).toEqual({
      findings: [],
      pending: [{ key: fresh.Key, versionId: 'v1', written: '2026-11-28T14:30:00.000Z' }],
      outsideRange: 0,
    });
  });

  it('treats digests, transitions and anchors as evidence, not data', () => {
    expect(
      ['digests/2026/11/28/10.json', 'digests/key-transitions/t.json', 'anchors/x'].map(isData),
    ).toEqual([false, false, false]);
    expect(isData('acme/2026/11/28/10/a')).toBe(true);
  });
});
