// In-memory token buckets, one per key (terminal id or client IP). A bucket holds `capacity` tokens and gains
// `refillPerSecond`; a request spends one. Buckets idle long enough to be full are dropped, so memory stays
// bounded by the number of active keys. Per process: behind a load balancer each instance limits on its own.
export interface TokenBucketLimiter {
  /** Spend one token; returns 0 if allowed, else the seconds until one is available. */
  take(key: string, now?: number): number;
  size(): number;
}

export function tokenBuckets(
  capacity: number,
  refillPerSecond: number,
  maxKeys = 100_000,
): TokenBucketLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const fullAfterMs = (capacity / refillPerSecond) * 1000;
  let lastSweep = 0;
  return {
    take(key, now = Date.now()) {
      if (now - lastSweep > 60_000 || buckets.size > maxKeys) {
        lastSweep = now;
        for (const [k, b] of buckets) if (now - b.at > fullAfterMs) buckets.delete(k);
      }
      const b = buckets.get(key) ?? { tokens: capacity, at: now };
      b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * refillPerSecond);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / refillPerSecond);
    },
    size: () => buckets.size,
  };
}
