import { OCSP_MAX_AGE_DAYS, takeInventory, CfnTemplate } from '../../core/audit/inventory';
import { promisesOf, stageNames, synthStage } from '../support/synth';

/**
 * The core promise test: every place data can rest in every stage is
 * classified, and each keeps its class's retention promise.
 */
describe.each(stageNames)('privacy inventory of stage %s', (stage) => {
  const { config, templates } = synthStage(stage);
  const places = Object.entries(templates).flatMap(([stack, template]) =>
    takeInventory(template, promisesOf(config)).map((place) => ({ stack, ...place })),
  );

  it('finds the resting places', () => {
    expect(places.length).toBeGreaterThanOrEqual(7);
  });

  it.each([
    'ocsp-personal',
    'subscriber',
    'subscriber-landing',
    'ocsp-investigation',
    'aggregate',
    'operational',
  ])('has at least one %s place', (dataClass) => {
    expect(places.some((p) => p.dataClass === dataClass)).toBe(true);
  });

  it('has no place that breaks its promise', () => {
    const broken = places
      .filter((p) => p.findings.length > 0)
      .map((p) => `${p.stack}/${p.logicalId}: ${p.findings}`);
    expect(broken).toEqual([]);
  });
});

describe('privacy inventory rules', () => {
  const { config, templates } = synthStage('prod');
  const promises = promisesOf(config);
  const data = templates['Logvault-prod-Data'];
  const bucketId = (prefix: string) =>
    Object.keys(data.Resources ?? {}).find((id) => id.startsWith(prefix))!;

  /** A deep copy of the data template with one resource's properties edited. */
  function edited(
    prefix: string,
    edit: (properties: Record<string, unknown>) => void,
  ): CfnTemplate {
    const copy = JSON.parse(JSON.stringify(data)) as CfnTemplate;
    edit(copy.Resources![bucketId(prefix)].Properties!);
    return copy;
  }
  const findingsFor = (template: CfnTemplate, prefix: string) =>
    takeInventory(template, promises).find((p) => p.logicalId === bucketId(prefix))!.findings;

  it('covers the quarantine prefix with the archive lock (subscriber logs that failed validation)', () => {
    const archive = takeInventory(data, promises).find(
      (p) => p.logicalId === bucketId('SubscriberArchiveBucket'),
    )!;
    expect(archive.dataClass).toBe('subscriber');
    expect(archive.mechanism).toMatch(/over acme\/, quarantine\/acme\/$/);
    expect(archive.findings).toEqual([]);
  });

  it('fails when the Athena results bucket loses its expiry', () => {
    const template = edited('QueryResultsBucket', (p) => delete p.LifecycleConfiguration);
    expect(findingsFor(template, 'QueryResultsBucket')).toEqual([
      'no enabled lifecycle rule expires every object',
    ]);
  });

  it('fails when OCSP expiry can reach seven days', () => {
    const template = edited('OcspRawLogsBucket', (p) => {
      (
        p.LifecycleConfiguration as { Rules: { ExpirationInDays: number }[] }
      ).Rules[0].ExpirationInDays = OCSP_MAX_AGE_DAYS;
    });
    expect(findingsFor(template, 'OcspRawLogsBucket')).toEqual([
      'expiry after 7 days can keep data 8 days (limit < 7)',
    ]);
  });

  it('fails when the OCSP bucket becomes versioned', () => {
    const template = edited(
      'OcspRawLogsBucket',
      (p) => (p.VersioningConfiguration = { Status: 'Enabled' }),
    );
    expect(findingsFor(template, 'OcspRawLogsBucket')).toContain(
      'versioned: expiry would leave noncurrent copies behind',
    );
  });

  it('fails when the subscriber lock is downgraded or shortened', () => {
    const template = edited('SubscriberArchiveBucket', (p) => {
      (p.ObjectLockConfiguration as { Rule: { DefaultRetention: object } }).Rule.DefaultRetention =
        {
          Mode: 'GOVERNANCE',
          Days: 365,
        };
    });
    expect(findingsFor(template, 'SubscriberArchiveBucket')).toEqual([
      'default retention mode GOVERNANCE, promised COMPLIANCE',
      'default retention 365 days, promised 2556',
    ]);
  });

  it('fails when the landing bucket is locked or keeps data too long', () => {
    const template = edited('SubscriberLandingBucket', (p) => {
      p.ObjectLockEnabled = true;
      delete p.LifecycleConfiguration;
    });
    expect(findingsFor(template, 'SubscriberLandingBucket')).toEqual([
      'landing must not be locked (sealing deletes from it)',
      'expiry none, promised at most 3 days',
    ]);
  });

  it('fails on an unclassified bucket and on a log group without retention', () => {
    const copy = JSON.parse(JSON.stringify(data)) as CfnTemplate;
    copy.Resources!.Stray = { Type: 'AWS::S3::Bucket', Properties: {} };
    copy.Resources!.Logs = {
      Type: 'AWS::Logs::LogGroup',
      Properties: { Tags: [{ Key: 'logvault:data-class', Value: 'operational' }] },
    };
    copy.Resources!.Fn = { Type: 'AWS::Lambda::Function', Properties: {} };
    const found = takeInventory(copy, promises);
    expect(found.find((p) => p.logicalId === 'Stray')!.findings[0]).toMatch(/^unclassified/);
    expect(found.find((p) => p.logicalId === 'Logs')!.findings).toEqual([
      'log group has no retention',
    ]);
    expect(found.find((p) => p.logicalId === 'Fn')!.findings[0]).toMatch(/implicit log group/);
  });
});
