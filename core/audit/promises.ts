import { StageConfig, lockDays } from '../config/stage-config';
import type { RetentionPromises } from './inventory';

/** The retention promises a stage makes, in numbers, from its configuration. */
export function promisesOf(config: StageConfig): RetentionPromises {
  return {
    subscriberLockMode: config.subscriber.lock.mode,
    subscriberLockDays: lockDays(config),
    landingExpiryDays: config.subscriber.landingExpiryDays,
  };
}
