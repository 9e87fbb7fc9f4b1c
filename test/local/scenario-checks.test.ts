import { heldEveryArchivedVersion } from '../../local/scenario/checks';

// How many ACME archive objects the scenario's shipper makes grows with
// --lines: 1,000 or 20,000 OCSP lines give 100 or 2,000 ACME lines, one
// Firehose record and so one object; the default 300,000 gives several. The
// check must hold for every one of them (it demanded more than one object,
// so `npm start -- --lines 20000` failed).
describe('the ACME case check of the scenario, for any --lines', () => {
  it.each([1, 2, 9, 40])('passes when the job held all %i archived versions', (archived) => {
    expect(
      heldEveryArchivedVersion(archived, { caseObjects: archived, jobSucceeded: archived }),
    ).toBe(true);
  });

  it.each([
    ['the job held one version fewer', { caseObjects: 3, jobSucceeded: 2 }],
    ['the case covers one version fewer than was archived', { caseObjects: 2, jobSucceeded: 2 }],
    ['the job reported nothing', { caseObjects: 3, jobSucceeded: undefined }],
  ])('fails when %s', (_why, outcome) => {
    expect(heldEveryArchivedVersion(3, outcome)).toBe(false);
  });

  it('fails when nothing was archived at all', () => {
    expect(heldEveryArchivedVersion(0, { caseObjects: 0, jobSucceeded: 0 })).toBe(false);
  });
});
