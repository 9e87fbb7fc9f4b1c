import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { logger } from '../runtime/logger';
import { measureRetention } from '../../core/monitoring/retention';
import { HoldRegistry } from '../../core/holds/registry';

const environment = z.object({
  LOGVAULT_STAGE: z.string().min(1),
  WATCHED_PLACES: z
    .string()
    .transform((s) => JSON.parse(s))
    .pipe(z.array(z.object({ place: z.string(), bucket: z.string(), versioned: z.boolean() }))),
  INVESTIGATIONS_BUCKET: z.string().min(1),
  HOLD_REGISTRY_TABLE: z.string().min(1),
});

const s3 = new S3Client({});
const cloudwatch = new CloudWatchClient({});
const registryClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Hourly: publishes the oldest OCSP copy's age, closed-case extracts and open cases. */
export const handler = async (): Promise<void> => {
  const env = environment.parse(process.env);
  const now = new Date();
  logger.setCorrelationId(now.toISOString());
  const registry = new HoldRegistry(registryClient, env.HOLD_REGISTRY_TABLE, '');
  const data = await measureRetention(s3, {
    watched: env.WATCHED_PLACES,
    investigationsBucket: env.INVESTIGATIONS_BUCKET,
    openCaseIds: () => registry.openCaseIds(),
    now,
  });
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'Logvault',
      MetricData: data.map((d) => ({
        MetricName: d.metric,
        Value: d.value,
        Timestamp: now,
        Dimensions: [
          { Name: 'Stage', Value: env.LOGVAULT_STAGE },
          ...(d.place ? [{ Name: 'Place', Value: d.place }] : []),
        ],
      })),
    }),
  );
  logger.info('retention measured', { data });
};
