import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeDigests } from '../../../core/sealing/digest';
import { DAY_MS, addHours, hourOf, hourPath } from '../../../core/sealing/keys';
import { sealPending } from '../../../core/sealing/seal';
import { verifyArchive } from '../../../core/sealing/verify';
import { landObject, sealingFixture } from './fixture';

/**
 * An administrator plants objects in the archive with nothing but PutObject:
 * S3 stamps LastModified with the real time, but the key is theirs to choose,
 * so the plant hides under a date folder older than any digest looks at,
 * outside the date layout, or under quarantine. Every one is read by nobody's
 * digest, and default verify must name each, whatever range it verifies.
 * One chain is built for the whole file (sealing is the slow part); each test
 * plants into it and verifies, so each also sees the others' plants.
 */
describe('verify accounts for every object in the whole archive', () => {
  const old = new Date(Date.now() - 40 * DAY_MS);
  const plants = [
    `acme/${hourPath(old)}/backdated-forgery`,
    'acme/foo',
    'acme/2026/x',
    `quarantine/acme/${hourPath(old)}/backdated-quarantine`,
    'quarantine/acme/bar',
    'elsewhere/entirely',
  ];
  let chain: Awaited<ReturnType<typeof build>>;

  async function build() {
    const f = await sealingFixture();
    const sealed = [
      await landObject(f, '{"n":0}\n'),
      // Arrived three days ago, sealed now: inside the scan window, so legitimate.
      await landObject(f, '{"n":1}\n', new Date(Date.now() - 3 * DAY_MS)),
    ];
    await sealPending(f.seal);
    const through = hourOf(new Date());
    const from = addHours(through, -3);
    await writeDigests(f.digest, { through, genesis: from });
    for (const key of plants)
      await f.clients.s3.send(
        new PutObjectCommand({
          Bucket: f.archive,
          Key: key,
          Body: '{"forged":true}\n',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    return { f, sealed, from, through };
  }

  beforeAll(async () => {
    chain = await build();
  });

  const unaccounted = (findings: { kind: string; key: string }[]) =>
    findings.filter((x) => x.kind === 'unaccounted-object').map((x) => x.key);

  it('names every plant over the chain’s range, and nothing else', async () => {
    const { f, from, through } = chain;
    const report = await verifyArchive(f.verify, { from, to: through });
    expect(unaccounted(report.findings)).toEqual([...plants].sort());
    expect(report.findings.map((x) => x.kind)).toEqual(plants.map(() => 'unaccounted-object'));
    expect(report.findings[0]!.detail).toMatch(/written .*Z; outside every prefix/);
    expect(report).toMatchObject({ objects: 2, listed: 2 + plants.length });
  });

  it('names them when the range is one old hour, and counts the sealed objects as outside it', async () => {
    const { f, from, through } = chain;
    // Two hours later every digest up to `through` is due: nothing is pending.
    const later = { ...f.verify, now: addHours(through, 2) };
    const report = await verifyArchive(later, { from, to: from });
    expect(unaccounted(report.findings)).toEqual([...plants].sort());
    expect(report).toMatchObject({ objects: 0, outsideRange: 2, pending: [] });
  });

  it('counts objects whose digest is not due yet as pending, not as findings', async () => {
    const { f, from, sealed } = chain;
    const report = await verifyArchive(f.verify, { from, to: from });
    expect(unaccounted(report.findings)).toEqual([...plants].sort());
    expect(report.pending.map((p) => p.key).sort()).toEqual([...sealed].sort());
    expect(report.outsideRange).toBe(0);
  });
});
