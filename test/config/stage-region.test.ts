import { loadStageConfig, StageConfigError } from '../../core/config/load-stage-config';
import { stageRegion } from '../../core/config/stage-region';

/**
 * Issue 12 finding 8, the CLI half: the CLI works where the stage was
 * deployed. The attacker is a misconfigured operator shell (AWS_REGION left
 * from another task, a stray --region), whose audit or verify would otherwise
 * look at an empty Region and report it as the stage's state.
 */
describe('the Region the CLI uses for a stage', () => {
  const prod = loadStageConfig('prod');
  const dev = loadStageConfig('dev');

  it("uses a pinned stage's Region whatever the environment says", () => {
    expect(stageRegion(prod, { env: { AWS_REGION: 'eu-west-1' } })).toBe(prod.region);
    expect(stageRegion(prod, { env: {} })).toBe(prod.region);
    expect(stageRegion(prod, { flag: prod.region, env: {} })).toBe(prod.region);
  });

  it('refuses a --region that contradicts the pinned one, naming the fix', () => {
    expect(() => stageRegion(prod, { flag: 'eu-west-1', env: {} })).toThrow(
      new StageConfigError(
        `--region eu-west-1 contradicts stage prod, pinned to ${prod.region}: omit --region`,
      ),
    );
  });

  it('takes an unpinned stage from --region, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' };
    expect(stageRegion(dev, { flag: 'eu-central-1', env })).toBe('eu-central-1');
    expect(stageRegion(dev, { env })).toBe('eu-west-1');
    expect(stageRegion(dev, { env: { AWS_DEFAULT_REGION: 'ap-south-1' } })).toBe('ap-south-1');
  });

  it('never falls back to us-east-1 for an unpinned stage', () => {
    expect(() => stageRegion(dev, { env: {} })).toThrow(
      /stage dev is not pinned to a Region: pass --region or set AWS_REGION/,
    );
    expect(() => stageRegion(dev, { env: { AWS_REGION: '' } })).toThrow(StageConfigError);
  });
});
