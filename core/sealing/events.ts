import { z } from 'zod';

/**
 * The EventBridge event S3 sends for a new object (detail-type "Object Created").
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export const objectCreatedEvent = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1) }),
  }),
});
