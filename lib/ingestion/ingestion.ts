import { Construct } from 'constructs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { StageConfig } from '../../core/config/stage-config';
import type { StageData } from '../stacks/stage-data';
import { LogDelivery } from './log-delivery';
import { prefixes } from '../../core/naming';
import { IngestTransformation } from './transformation';

export interface IngestionProps {
  readonly config: StageConfig;
  readonly data: StageData;
}

/**
 * Both ingestion paths of a stage: OCSP requests into the raw-log bucket
 * (`ocsp/`, short-lived personal data) and ACME events into the subscriber
 * landing bucket (`acme/`, sealed into the locked archive from there).
 */
export class Ingestion extends Construct {
  public readonly ocsp: LogDelivery;
  public readonly acme: LogDelivery;
  /** The streams' transformation function, when the stage sets one for a log type. */
  public readonly transformation?: IngestTransformation;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    const { config, data } = props;
    const settings = config.ingestion.transformation;
    if (settings.ocsp !== undefined || settings.acme !== undefined)
      this.transformation = new IngestTransformation(this, 'Transformation', {
        stage: config.stage,
        settings,
        encryptionKey: data.storageKey,
        logRetention: config.ocsp.logRetentionDays as logs.RetentionDays,
      });
    const transformationOf = (type: 'ocsp' | 'acme') =>
      settings[type] === undefined ? undefined : this.transformation?.handler.function;
    const shared = {
      stage: config.stage,
      encryptionKey: data.storageKey,
      bufferingIntervalSeconds: config.ingestion.buffering.intervalSeconds,
      bufferingSizeMiB: config.ingestion.buffering.sizeMiB,
    };
    this.ocsp = new LogDelivery(this, 'Ocsp', {
      ...shared,
      logType: 'ocsp',
      transformation: transformationOf('ocsp'),
      streamCount: config.ingestion.streamCount.ocsp,
      bucket: data.ocspRawLogs,
      bucketPurpose: 'ocsp-raw',
      prefix: prefixes.ocsp,
      errorPrefix: prefixes.ocspErrors,
      // Firehose error logs hold error messages, not records; OCSP retention anyway, to be safe.
      errorLogDataClass: 'ocsp-personal',
      errorLogRetention: config.ocsp.logRetentionDays as logs.RetentionDays,
    });
    this.acme = new LogDelivery(this, 'Acme', {
      ...shared,
      logType: 'acme',
      transformation: transformationOf('acme'),
      streamCount: config.ingestion.streamCount.acme,
      bucket: data.subscriberLanding,
      bucketPurpose: 'subscriber-landing',
      prefix: prefixes.acme,
      errorPrefix: prefixes.acmeErrors,
      errorLogDataClass: 'operational',
      errorLogRetention: config.ingestion.acmeErrorLogRetentionDays as logs.RetentionDays,
    });
  }
}
