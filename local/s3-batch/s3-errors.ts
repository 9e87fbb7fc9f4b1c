/** How S3 refused a request: what a completion report row and a failure reason show. */
export interface S3Refusal {
  readonly httpStatus: number;
  readonly errorCode: string;
  readonly message: string;
}

/**
 * The error code, HTTP status and message of an SDK error. Anything that is
 * not an S3 answer (no response at all) counts as a 500 InternalError, as a
 * task that could not be run.
 */
export function describeS3Error(error: unknown): S3Refusal {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const httpStatus = e?.$metadata?.httpStatusCode;
  if (httpStatus === undefined)
    return { httpStatus: 500, errorCode: 'InternalError', message: String(e?.message ?? error) };
  return { httpStatus, errorCode: e.name ?? 'Unknown', message: e.message ?? '' };
}
