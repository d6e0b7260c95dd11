/** A per-key token bucket: `perMinute` requests a minute, bursts up to `perMinute`. */
export interface RateLimiter {
  /** Takes one request for `key`: 0 when allowed, else the seconds to wait (for `Retry-After`). */
  take(key: string, nowMs?: number): number
  /** Forgets buckets that are full again (idle clients). */
  sweep(nowMs?: number): void
  /** The number of tracked keys. */
  readonly size: number
  stop(): void
}

const MAX_KEYS = 200_000

/** Creates a rate limiter; `perMinute <= 0` allows everything. */
export function createRateLimiter(perMinute: number): RateLimiter {
  const buckets = new Map<string, { tokens: number; updated: number }>()
  const perMs = perMinute / 60_000
  const fullAfterMs = 60_000
  const timer = perMinute > 0 ? setInterval(() => limiter.sweep(), 30_000) : null
  timer?.unref()
  const limiter: RateLimiter = {
    take(key, nowMs = Date.now()) {
      if (perMinute <= 0) return 0
      let bucket = buckets.get(key)
      if (bucket === undefined) {
        // A flood of distinct addresses must not grow memory without bound.
        if (buckets.size >= MAX_KEYS) limiter.sweep(nowMs)
        if (buckets.size >= MAX_KEYS) buckets.clear()
        bucket = { tokens: perMinute, updated: nowMs }
        buckets.set(key, bucket)
      } else {
        bucket.tokens = Math.min(perMinute, bucket.tokens + (nowMs - bucket.updated) * perMs)
        bucket.updated = nowMs
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
    },
    sweep(nowMs = Date.now()) {
      for (const [key, bucket] of buckets) if (nowMs - bucket.updated >= fullAfterMs) buckets.delete(key)
    },
    get size() {
      return buckets.size
    },
    stop() {
      if (timer) clearInterval(timer)
      buckets.clear()
    },
  }
  return limiter
}

/**
 * The rate-limit key of a client address: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its /64,
 * since one IPv6 client can rotate through its whole /64.
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined) return 'unknown'
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7)
  if (!address.includes(':')) return address
  const [head = '', tail = ''] = address.split('::', 2)
  const headParts = head === '' ? [] : head.split(':')
  if (!address.includes('::')) return headParts.slice(0, 4).join(':').toLowerCase()
  const tailParts = tail === '' ? [] : tail.split(':')
  const zeros = Array<string>(Math.max(0, 8 - headParts.length - tailParts.length)).fill('0')
  return [...headParts, ...zeros, ...tailParts].slice(0, 4).join(':').toLowerCase()
}
