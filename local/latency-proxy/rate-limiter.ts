/**
 * Per-key request-rate limit: a token bucket refilled at `ratePerSecond` and
 * holding one second's worth, so a prefix can take a burst of `rate` requests
 * and then `rate` per second, as S3's per-prefix figures are stated. S3 itself
 * scales a busy prefix up over time; the model does not, so a bench that
 * hits the limit sees the throttling S3 shows before it has scaled.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly ratePerSecond: number) {}

  /** Takes one token for `key` at time `now` (ms); false when there is none: answer SlowDown. */
  admit(key: string, now: number): boolean {
    if (!Number.isFinite(this.ratePerSecond)) return true;
    const bucket = this.buckets.get(key) ?? { tokens: this.ratePerSecond, at: now };
    bucket.tokens = Math.min(
      this.ratePerSecond,
      bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
