import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anchorFindingKinds } from '../../../../core/sealing/anchor/check-anchors';
import { transitionRejections } from '../../../../core/sealing/anchor/trusted-keys';
import { tokenRejections } from '../../../../core/sealing/anchor/verify-token';

/** Every reason a verifier can give is explained in docs/trust.md, so a finding can be looked up. */
describe('docs/trust.md', () => {
  const doc = readFileSync(join(__dirname, '../../../../docs/trust.md'), 'utf8');
  it.each([
    ['token rejections', tokenRejections],
    ['transition rejections', transitionRejections],
    ['anchor findings', anchorFindingKinds],
  ])('names all %s', (_name, reasons) => {
    expect(reasons.filter((reason) => !doc.includes(`\`${reason}\``))).toEqual([]);
  });
});
