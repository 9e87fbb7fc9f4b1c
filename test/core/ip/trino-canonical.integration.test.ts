import { seededRandom } from '../../../core/traffic';
import { TrinoQueryRunner } from '../../../core/query/trino-runner';
import { sqlString } from '../../../core/query/sql';
import { InvalidIpError, canonicalIp } from '../../../core/ip';
import { canonicalVectors, refusedVectors } from './vectors';

/**
 * The canonical text must be what Athena prints for the same address, so
 * that a filter written in TypeScript and one written in SQL meet: checked
 * against Trino (Athena engine v3's engine), whose IPADDRESS type is
 * Guava's parser, an implementation nobody here wrote.
 */
describe("canonical IP text is Trino's IPADDRESS text", () => {
  const runner = new TrinoQueryRunner({ url: process.env.TRINO_URL ?? 'http://127.0.0.1:18080' });

  /** Trino's CAST(CAST(x AS IPADDRESS) AS VARCHAR) of each input, null where Trino refuses. */
  async function trinoCanonical(inputs: string[]): Promise<Map<string, string | null>> {
    const values = inputs.map((text) => `(${sqlString(text)})`).join(', ');
    const { rows } = await runner.run(
      `SELECT x, try(CAST(CAST(x AS IPADDRESS) AS VARCHAR)) FROM (VALUES ${values}) AS t(x)`,
    );
    return new Map(rows.map(([input, canonical]) => [input!, canonical]));
  }

  const ours = (text: string) => {
    try {
      return canonicalIp(text);
    } catch (error) {
      if (error instanceof InvalidIpError) return null;
      throw error;
    }
  };

  it('agrees on every test vector', async () => {
    const trino = await trinoCanonical(canonicalVectors.map(([input]) => input));
    for (const [input, canonical] of canonicalVectors)
      expect([input, trino.get(input)]).toEqual([input, canonical]);
  });

  it('refuses what logvault refuses, except some zone ids, which Trino drops silently', async () => {
    // Control characters cannot be SQL literals here; they are refused before any SQL.
    // eslint-disable-next-line no-control-regex -- exactly what is filtered out
    const inputs = refusedVectors.map(([input]) => input).filter((t) => !/[\u0000-\u001f]/.test(t));
    const trino = await trinoCanonical(inputs);
    const acceptedByTrino = inputs.filter((input) => trino.get(input) !== null);
    expect(acceptedByTrino).toEqual(['fe80::1%eth0', 'fe80::1%']);
    expect(trino.get('fe80::1%eth0')).toBe('fe80::1');
    expect(trino.get('fe80::1%25eth0')).toBeNull();
  });

  it('agrees on 3,000 random addresses in random spellings, IPv4 and mapped included', async () => {
    const rng = seededRandom(20261130);
    const hex = (max: number) => Math.floor(rng() * max).toString(16);
    const octet = () => String(Math.floor(rng() * 256));
    const spell = (group: string) =>
      (rng() < 0.5 ? group.padStart(4, '0') : group)[rng() < 0.5 ? 'toUpperCase' : 'toLowerCase']();
    const inputs = Array.from({ length: 3000 }, () => {
      const kind = rng();
      const v4 = [octet(), octet(), octet(), octet()].join('.');
      if (kind < 0.3) return v4;
      if (kind < 0.45) return rng() < 0.5 ? `::${spell('ffff')}:${v4}` : `0:0:0:0:0:FFFF:${v4}`;
      const groups = Array.from({ length: 8 }, () => (rng() < 0.35 ? '0' : hex(0x10000)));
      const start = Math.floor(rng() * 8);
      const end = Math.min(8, start + 1 + Math.floor(rng() * 4));
      const zeroed = groups.map((g, i) => (i >= start && i < end ? '0' : g));
      return rng() < 0.5
        ? zeroed.map(spell).join(':')
        : `${zeroed.slice(0, start).map(spell).join(':')}::${zeroed.slice(end).map(spell).join(':')}`;
    });
    const trino = await trinoCanonical(inputs);
    const disagreements = inputs.filter((input) => trino.get(input) !== ours(input));
    expect(disagreements).toEqual([]);
    expect(inputs.filter((input) => ours(input) === null)).toEqual([]);
  });
});
