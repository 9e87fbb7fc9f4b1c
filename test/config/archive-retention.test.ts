import { archiveRetention, stageArchiveRetention } from '../../core/config/archive-retention';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { synthStage } from '../support/synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation JSON */

/** Days a version lives on a versioned bucket: current expiry, then the noncurrent expiry counted from it. */
const lifetime = (rule: any) =>
  rule.ExpirationInDays + rule.NoncurrentVersionExpiration.NoncurrentDays;

describe('subscriber archive retention (issue 12, finding 4)', () => {
  it('keeps a 7-year lock + 30 days at 7 calendar years + 31 days at most, never 14 years', () => {
    const retention = stageArchiveRetention(loadStageConfig('prod'));
    // 7 calendar years hold one or two leap days: 2,556 to 2,557 days.
    expect(retention).toEqual({
      minDays: 2556,
      maxDays: 2557 + 30 + 1,
      currentExpiryDays: 2557 + 30,
      noncurrentExpiryDays: 1,
    });
  });

  it('keeps everything when no expiry margin is set, and counts day locks exactly', () => {
    expect(archiveRetention({ years: 1 })).toEqual({ minDays: 365 });
    expect(archiveRetention({ days: 10 }, 5).maxDays).toBe(16);
  });

  it('renders the prod archive as that arithmetic: Years lock, expiry, noncurrent 1 day, markers removed', () => {
    const data = synthStage('prod').templates['Logvault-prod-Data'] as any;
    const [archive] = Object.entries(data.Resources).filter(([id]) =>
      id.startsWith('SubscriberArchiveBucket'),
    ) as [string, any][];
    const props = archive![1].Properties;
    expect(props.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({
      Mode: 'COMPLIANCE',
      Years: 7,
    });
    const rules = props.LifecycleConfiguration.Rules;
    const tiering = rules.find((r: any) => r.Id === 'ArchiveTiering');
    // Before the fix: 2585 + 2585 days, about 14 years.
    expect(lifetime(tiering)).toBe(2588);
    expect(rules.find((r: any) => r.Id === 'RemoveExpiredDeleteMarkers')).toEqual({
      Id: 'RemoveExpiredDeleteMarkers',
      Status: 'Enabled',
      ExpiredObjectDeleteMarker: true,
    });
  });
});
