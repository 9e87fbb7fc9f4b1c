import { heldEveryArchivedVersion } from '../../local/scenario/checks';

// How many ACME archive objects the scenario makes depends on --lines: 1,000
// OCSP lines gave 100 ACME lines in one object, held directly with no batch
// job, and the check failed. The ship step now ships ACME in two runs (at
// least two objects); 20,000 lines gave 4, 300,000 more.
describe('the ACME case check of the scenario, for any --lines', () => {
  it.each([2, 4, 9, 40])('passes when the job held all %i archived versions', (archived) => {
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

  it('fails with fewer than two objects: one is held directly, with no job to check', () => {
    expect(heldEveryArchivedVersion(0, { caseObjects: 0, jobSucceeded: 0 })).toBe(false);
    expect(heldEveryArchivedVersion(1, { caseObjects: 1, jobSucceeded: undefined })).toBe(false);
  });
});
