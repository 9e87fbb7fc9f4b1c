/** One metric value as a CloudWatch EMF document on stdout declares it. */
export interface EmittedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  /** The dimensions the document declares for it, with their values. */
  readonly dimensions: Record<string, string>;
}

interface EmfDocument {
  _aws?: {
    CloudWatchMetrics?: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** The metrics of every EMF document in `output` (one JSON object a line; other lines ignored). */
export function emittedMetrics(output: string): EmittedMetric[] {
  const metrics: EmittedMetric[] = [];
  for (const line of output.split('\n')) {
    let doc: EmfDocument;
    try {
      doc = JSON.parse(line) as EmfDocument;
    } catch {
      continue;
    }
    for (const directive of doc._aws?.CloudWatchMetrics ?? [])
      for (const set of directive.Dimensions)
        for (const metric of directive.Metrics)
          metrics.push({
            namespace: directive.Namespace,
            name: metric.Name,
            value: Number(doc[metric.Name]),
            dimensions: Object.fromEntries(set.map((d) => [d, String(doc[d])])),
          });
  }
  return metrics;
}

/** Runs `work` while recording what is written to stdout (where Powertools writes EMF). */
export async function captureStdout<T>(
  work: () => Promise<T>,
): Promise<{ result: T; stdout: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    return { result: await work(), stdout: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}
