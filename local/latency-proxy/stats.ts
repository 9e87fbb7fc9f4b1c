/** What the proxy saw, per `service:operation`: the figures a bench reports beside its timings. */
export interface OperationStats {
  readonly requests: number;
  /** Answered `503 SlowDown` by the proxy's rate model (never reached the stand-in). */
  readonly slowDowns: number;
  /** Answered 5xx by the stand-in itself, or not answered at all (502 from the proxy). */
  readonly upstreamErrors: number;
  /** Sum of the stand-in's own response times, ms (headers received). */
  readonly upstreamMs: number;
}

export interface ProxyStats {
  readonly operations: Readonly<Record<string, OperationStats>>;
  /** Requests being handled right now, and the most at any one time since the last reset. */
  readonly inFlight: number;
  readonly maxInFlight: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class StatsRecorder {
  private operations = new Map<string, Mutable<OperationStats>>();
  private inFlight = 0;
  private maxInFlight = 0;

  started(): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  finished(
    operation: string,
    outcome: { slowDown?: boolean; upstreamError?: boolean; upstreamMs?: number },
  ): void {
    this.inFlight--;
    const s = this.operations.get(operation) ?? {
      requests: 0,
      slowDowns: 0,
      upstreamErrors: 0,
      upstreamMs: 0,
    };
    s.requests++;
    if (outcome.slowDown) s.slowDowns++;
    if (outcome.upstreamError) s.upstreamErrors++;
    s.upstreamMs += outcome.upstreamMs ?? 0;
    this.operations.set(operation, s);
  }

  snapshot(): ProxyStats {
    return {
      operations: Object.fromEntries(
        [...this.operations].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]),
      ),
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
    };
  }

  reset(): void {
    this.operations = new Map();
    this.maxInFlight = this.inFlight;
  }
}

/** The snapshot as an aligned text table, for the CLI and benches. */
export function formatStats(stats: ProxyStats): string {
  const rows = Object.entries(stats.operations).map(([op, s]) => [
    op,
    String(s.requests),
    String(s.slowDowns),
    String(s.upstreamErrors),
    s.requests > 0 ? (s.upstreamMs / s.requests).toFixed(1) : '-',
  ]);
  const header = ['operation', 'requests', 'SlowDown', 'upstream 5xx', 'upstream ms (mean)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line), `max in flight: ${stats.maxInFlight}`].join('\n');
}
