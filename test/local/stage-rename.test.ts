import { loadStageConfig } from '../../core/config/load-stage-config';
import { renameStage } from '../support/stage-rename';
import { RENAMED_FROM_SUFFIX, synthStage, synthStageNamed } from '../support/synth';

/** CDK derives asset keys and some statement ids from construct paths, which hold the stack name. */
const cdkPathHashes = (text: string) =>
  text.replace(/[0-9a-f]{64}/g, '<asset>').replace(/(?:[0-9A-F]{8})+(?=$|")/g, '<path-hash>');

function differences(a: unknown, b: unknown, at = '$'): string[] {
  if (typeof a === 'string' && typeof b === 'string')
    return cdkPathHashes(a) === cdkPathHashes(b) ? [] : [`${at}: ${a} != ${b}`];
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)].map(cdkPathHashes))];
    const byHash = (o: object) =>
      new Map(Object.entries(o).map(([k, v]) => [cdkPathHashes(k), v] as const));
    const [left, right] = [byHash(a), byHash(b)];
    return keys.flatMap((k) => differences(left.get(k), right.get(k), `${at}.${k}`));
  }
  return Object.is(a, b) ? [] : [`${at}: ${String(a)} != ${String(b)}`];
}

describe('renaming a synthesized stage', () => {
  it('gives the templates a synth under the new name gives, up to CDK path hashes', () => {
    const renamed = synthStageNamed(loadStageConfig('dev'), RENAMED_FROM_SUFFIX).templates;
    const asDev = renameStage(renamed, `dev-${RENAMED_FROM_SUFFIX}`, 'dev');
    expect(differences(asDev, synthStage('dev').templates)).toEqual([]);
  });

  it('renames the database inside an encoded view definition', () => {
    const view = Buffer.from(JSON.stringify({ schema: 'logvault_dev_zzz' })).toString('base64');
    const out = renameStage(
      {
        S: { Resources: { V: { Type: 'T', Properties: { Text: `/* Presto View: ${view} */` } } } },
      },
      'dev-zzz',
      'dev-abc',
    );
    const text = (out.S.Resources!.V.Properties as { Text: string }).Text;
    const decoded = Buffer.from(/Presto View: (.*) \*\//.exec(text)![1], 'base64').toString('utf8');
    expect(JSON.parse(decoded)).toEqual({ schema: 'logvault_dev_abc' });
  });
});
