import {
  loadStageConfig,
  parseStageConfig,
  StageConfigError,
} from '../../core/config/load-stage-config';
import { StageConfig, lockDays } from '../../core/config/stage-config';
import { stages } from '../../core/config/stages';
import { stageTsaNames } from '../../lib/sealing/anchoring';

const dev = stages.dev as Record<string, unknown>;
const withChange = (path: string[], value: unknown) => {
  const copy = JSON.parse(JSON.stringify(dev));
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path[path.length - 1]] = value;
  return copy;
};

const withLock = (
  config: StageConfig,
  duration: StageConfig['subscriber']['lock']['duration'],
) => ({
  ...config,
  subscriber: { ...config.subscriber, lock: { ...config.subscriber.lock, duration } },
});

describe('stage configuration', () => {
  it('loads dev and prod with the policy numbers', () => {
    const prod = loadStageConfig('prod');
    expect(prod.subscriber.lock.mode).toBe('COMPLIANCE');
    // Seven calendar years hold at least one 29 February: 2,556 days, never 7 x 365.
    expect(lockDays(prod)).toBe(2556);
    expect(lockDays(withLock(prod, { years: 4 }))).toBe(1461);
    expect(lockDays(withLock(prod, { days: 30 }))).toBe(30);
    expect(prod.ocsp.rawLogExpiryDays).toBe(5);
    const devConfig = loadStageConfig('dev');
    expect(devConfig.subscriber.lock).toEqual({ mode: 'GOVERNANCE', duration: { days: 1 } });
  });

  it('names the field, the value and the range of a bad value', () => {
    expect(() => parseStageConfig(withChange(['ocsp', 'rawLogExpiryDays'], 9))).toThrow(
      /ocsp\.rawLogExpiryDays = 9: .*<=6/,
    );
  });

  it('lists every problem at once', () => {
    const bad = withChange(['ocsp', 'rawLogExpiryDays'], 0);
    bad.subscriber.landingExpiryDays = 'three';
    try {
      parseStageConfig(bad);
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(StageConfigError);
      expect(String(error)).toMatch(/ocsp\.rawLogExpiryDays = 0/);
      expect(String(error)).toMatch(/subscriber\.landingExpiryDays = "three"/);
    }
  });

  it('refuses COMPLIANCE outside production without the loud opt-in', () => {
    const compliance = withChange(['subscriber', 'lock', 'mode'], 'COMPLIANCE');
    expect(() => parseStageConfig(compliance)).toThrow(
      /DANGER_allowPermanentComplianceLockOutsideProduction/,
    );
    compliance.DANGER_allowPermanentComplianceLockOutsideProduction = true;
    expect(parseStageConfig(compliance).subscriber.lock.mode).toBe('COMPLIANCE');
  });

  it('refuses a production stage whose alarms reach no one, naming the field (issue 12 #1)', () => {
    const prod = JSON.parse(JSON.stringify(stages.prod));
    delete prod.monitoring.alarmEmail;
    expect(() => parseStageConfig(prod)).toThrow(/monitoring\.alarmEmail.*required in production/);
    expect(parseStageConfig({ ...dev }).monitoring.alarmEmail).toBeUndefined();
  });

  it('refuses a stage name whose longest bucket name could pass 63 characters (issue 12 #10)', () => {
    expect(parseStageConfig({ ...dev, stage: 'abcdefg' }).stage).toBe('abcdefg');
    expect(() => parseStageConfig({ ...dev, stage: 'abcdefgh' })).toThrow(
      /stage = "abcdefgh": makes the bucket name logvault-abcdefgh-\d{12}-ap-southeast-5-subscriber-landing 64 characters/,
    );
    // Pinned to us-east-1 the Region is known, and 12 characters fit.
    const pinned = { ...dev, stage: 'abcdefghijkl', account: '123456789012', region: 'us-east-1' };
    expect(parseStageConfig(pinned).stage).toBe('abcdefghijkl');
  });

  it('refuses a production stage without account or region, naming the field and the fix (issue 12 #8)', () => {
    const prod = stages.prod as Record<string, unknown>;
    const { account, region, ...unpinned } = prod;
    expect([account, region]).toEqual(['000000000000', 'us-east-1']);
    expect(() => parseStageConfig({ ...unpinned, region })).toThrow(
      /account = missing: is required in production: set the 12-digit account id/,
    );
    expect(() => parseStageConfig({ ...unpinned, account })).toThrow(
      /region = missing: is required in production: set the Region/,
    );
    expect(() => parseStageConfig({ ...prod, account: '12345' })).toThrow(
      /account = "12345": must be a 12-digit AWS account id/,
    );
  });

  it('pins both account and region or neither outside production', () => {
    expect(parseStageConfig({ ...dev }).region).toBeUndefined();
    expect(() => parseStageConfig({ ...dev, account: '123456789012' })).toThrow(
      /region = missing: is required when account is set: pin both, or neither/,
    );
    expect(() => parseStageConfig({ ...dev, region: 'eu-west-1' })).toThrow(
      /account = missing: is required when region is set/,
    );
  });

  it('rejects unknown fields and unknown stages', () => {
    expect(() => parseStageConfig({ ...dev, rawLogExpiryDays: 5 })).toThrow(/rawLogExpiryDays/);
    expect(() => loadStageConfig('qa')).toThrow(/Unknown stage "qa".*dev, prod/);
  });

  it('only offers CloudWatch retentions under seven days for OCSP logs', () => {
    expect(() => parseStageConfig(withChange(['ocsp', 'logRetentionDays'], 7))).toThrow(
      /ocsp\.logRetentionDays = 7/,
    );
  });

  it('anchors with the pinned public TSA by default, and checks what a stage sets (issue 14)', () => {
    expect(loadStageConfig('dev').anchoring).toEqual({ tsas: ['digicert'], maxDelayHours: 3 });
    expect(() =>
      parseStageConfig({ ...dev, anchoring: { tsas: ['digicert', 'digicert'] } }),
    ).toThrow(/anchoring\.tsas = \["digicert","digicert"\]: names a TSA twice/);
    expect(() => parseStageConfig({ ...dev, anchoring: { tsas: [], maxDelayHours: 1 } })).toThrow(
      /anchoring\.maxDelayHours = 1: .*>=2/,
    );
    const prod = stages.prod as Record<string, unknown>;
    expect(() => parseStageConfig({ ...prod, anchoring: { tsas: ['local'] } })).toThrow(
      /anchoring\.tsas\.0 = "local": is the local TSA stand-in/,
    );
    expect(() =>
      parseStageConfig({
        ...prod,
        anchoring: { witness: { account: prod.account, bucket: 'anchors-witness' } },
      }),
    ).toThrow(/anchoring\.witness\.account = "000000000000": is the stage's own account/);
  });

  it('refuses at synth a TSA the bundled trust list does not pin, naming the field and the fix', () => {
    expect(stageTsaNames({ anchoring: { tsas: ['digicert'], maxDelayHours: 3 } })).toBe(
      '["digicert"]',
    );
    expect(() => stageTsaNames({ anchoring: { tsas: ['sectigo'], maxDelayHours: 3 } })).toThrow(
      /anchoring\.tsas\[0\] = "sectigo": not pinned in .*trust\/tsa\/tsas\.json \(pinned: digicert\); pin it there/,
    );
  });
});
