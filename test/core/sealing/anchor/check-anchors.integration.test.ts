import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readAnchorFiles, writeAnchorFile } from '../../../../core/sealing/anchor/anchor-files';
import {
  AnchorRecord,
  anchorKey,
  anchorRecord,
} from '../../../../core/sealing/anchor/anchor-record';
import { ChainLink, checkAnchors } from '../../../../core/sealing/anchor/check-anchors';
import { requestTimestamp } from '../../../../core/sealing/anchor/tsa-client';
import { addHours, digestKey, hourOf } from '../../../../core/sealing/keys';
import { uniqueSuffix } from '../../../support/standins';
import { flipBit } from './forge';
import { testTsa } from './support';

const BUCKET = 'logvault-dev-123456789012-us-east-1-subscriber-archive';
const hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** A chain of `hours` links ending with the hour before `now`'s, each digest's hash made up from its key. */
function chain(hours: number, end = addHours(hourOf(new Date()), -1)): ChainLink[] {
  return Array.from({ length: hours }, (_, i) => {
    const hour = addHours(end, i - hours + 1);
    return { key: digestKey(hour), hourEnd: addHours(hour, 1), sha256: hex(digestKey(hour)) };
  });
}

describe('checking the chain against its anchors', () => {
  let tsa: Awaited<ReturnType<typeof testTsa>>;
  beforeAll(async () => {
    tsa = await testTsa();
  });
  afterAll(() => tsa.close());

  async function anchor(link: ChainLink, archiveBucket = BUCKET): Promise<AnchorRecord> {
    const stamp = await requestTimestamp(Buffer.from(link.sha256!, 'hex'), {
      url: tsa.url,
      trust: tsa.trust,
    });
    return anchorRecord({ stage: 'dev', archiveBucket }, { key: link.key, sha256: link.sha256! }, [
      stamp,
    ]);
  }

  const check = (links: ChainLink[], records: unknown[], now = new Date()) =>
    checkAnchors({
      links,
      anchors: records.map((record, i) => ({ source: `anchors/${i}.json`, record })),
      tsa: tsa.trust,
      stage: 'dev',
      archiveBucket: BUCKET,
      now,
    });

  it('accepts a chain whose newest head is anchored, and reports when it was anchored', async () => {
    const links = chain(6);
    const { findings, anchored } = await check(links, [await anchor(links[5])]);
    expect(findings).toEqual([]);
    expect(anchored).toMatchObject([{ headKey: links[5].key, tsas: ['local'] }]);
  });

  it('reports an anchored digest that is gone or whose bytes changed', async () => {
    const links = chain(5);
    const records = [await anchor(links[3]), await anchor(links[4])];
    const rewritten = [
      ...links.slice(0, 3),
      { ...links[3], sha256: undefined },
      { ...links[4], sha256: hex('rewritten') },
    ];
    const { findings } = await check(rewritten, records);
    expect(findings.map((f) => [f.kind, f.key])).toEqual([
      ['anchor-missing-digest', links[3].key],
      ['anchor-mismatch', links[4].key],
      // Neither anchor holds any more: nothing outside the account vouches for the chain.
      ['unanchored-hours', links[0].key],
    ]);
  });

  it('rejects anchors of another archive, bad tokens and non-records, but keeps an anchor with one good token', async () => {
    const links = chain(2);
    const good = await anchor(links[1]);
    const corrupted = {
      ...good,
      tokens: [
        {
          tsa: 'local',
          token: flipBit(Buffer.from(good.tokens[0].token, 'base64'), -3).toString('base64'),
        },
      ],
    };
    const mixed = { ...good, tokens: [...corrupted.tokens, ...good.tokens] };
    const { findings, anchored } = await check(links, [
      await anchor(links[1], 'another-archive'),
      corrupted,
      'not json',
      mixed,
    ]);
    expect(findings.map((f) => [f.kind, f.key, f.detail.split(':')[0]])).toEqual([
      ['anchor-invalid', 'anchors/0.json', `anchors dev another-archive, not dev ${BUCKET}`],
      ['anchor-invalid', 'anchors/1.json', 'token from local'],
      ['anchor-invalid', 'anchors/2.json', 'not an anchor record'],
      ['anchor-invalid', 'anchors/3.json', 'token from local'],
    ]);
    expect(anchored.map((a) => a.source)).toEqual(['anchors/3.json']);
  });

  it('reports a head anchored long after its hour, and digests left unanchored too long', async () => {
    const old = chain(3, addHours(hourOf(new Date()), -6));
    const { findings } = await check(old, [await anchor(old[1])]);
    expect(findings.map((f) => [f.kind, f.key])).toEqual([
      ['late-anchor', old[1].key],
      ['unanchored-hours', old[2].key],
    ]);
    // The newest digests may wait for the next anchor: no finding while they are recent.
    const recent = chain(2);
    expect((await check(recent, [await anchor(recent[0])])).findings).toEqual([]);
  });

  it('reads published anchor files back, never overwrites one, and reports a file that is not JSON', async () => {
    const dir = join(__dirname, '../../../../.run/test-anchors', uniqueSuffix());
    const links = chain(2);
    const record = await anchor(links[1]);
    const hour = addHours(hourOf(new Date()), -1);
    const path = await writeAnchorFile(dir, hour, record);
    expect(path).toBe(join(dir, anchorKey(hour)));
    await expect(writeAnchorFile(dir, hour, record)).rejects.toThrow(/EEXIST/);
    await mkdir(join(dir, 'anchors/2026'), { recursive: true });
    await writeFile(join(dir, 'anchors/2026/broken.json'), '{"format": "logvault-anchor/1",');
    const candidates = await readAnchorFiles(dir);
    const { findings, anchored } = await checkAnchors({
      links,
      anchors: candidates,
      tsa: tsa.trust,
      stage: 'dev',
      archiveBucket: BUCKET,
      now: new Date(),
    });
    expect(anchored.map((a) => a.source)).toEqual([anchorKey(hour)]);
    expect(findings.map((f) => [f.kind, f.key])).toEqual([
      ['anchor-invalid', 'anchors/2026/broken.json'],
    ]);
  });
});
