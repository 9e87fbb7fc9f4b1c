/** What S3, Logs and Athena answer for a resource or setting that is not there. */
export const isMissing = (error: unknown) =>
  /NoSuch|NotFound|ResourceNotFound|InvalidRequest|ObjectLockConfigurationNotFound|ServerSideEncryptionConfigurationNotFound/.test(
    (error as { name?: string }).name ?? '',
  );

/** The call's answer, or undefined when what it reads is not there. */
export async function optional<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Drops undefined fields recursively, so read-back and template compare structurally. */
export function prune<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
