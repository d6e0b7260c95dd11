/** A cached value and the time (ms since epoch) after which it must be loaded again. */
export interface CacheEntry<V> {
  value: V
  expiresAt: number
  /** What the value depends on besides its key (e.g. the influencer id), for invalidation. */
  tag: string | null
}

/** A keyed cache in which concurrent loads of one key share one load (single flight). */
export interface SingleFlightCache<V> {
  /** The fresh cached value of `key`, or undefined (also while the cache is disabled). */
  peek(key: string, nowMs?: number): V | undefined
  /**
   * Loads `key` through `load` unless a load of it is already running, which is then shared.
   * The result is cached (when enabled) unless the key was invalidated while loading.
   */
  load(key: string, load: () => Promise<CacheEntry<V>>): Promise<V>
  invalidate(key: string): void
  invalidateTag(tag: string): void
  clear(): void
  /** While disabled nothing is read from or written to the cache; loads are still shared. */
  setEnabled(enabled: boolean): void
  readonly size: number
}

/** Creates a single-flight cache holding at most `maxEntries` values. */
export function createSingleFlightCache<V>(maxEntries = 10_000): SingleFlightCache<V> {
  const entries = new Map<string, CacheEntry<V>>()
  const flights = new Map<string, Promise<V>>()
  let enabled = true
  const cache: SingleFlightCache<V> = {
    peek(key, nowMs = Date.now()) {
      if (!enabled) return undefined
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      if (entry.expiresAt <= nowMs) {
        entries.delete(key)
        return undefined
      }
      return entry.value
    },
    load(key, load) {
      const running = flights.get(key)
      if (running !== undefined) return running
      const flight: Promise<V> = load().then(
        (entry) => {
          // Invalidated while loading (flight dropped): answer the waiters, keep nothing.
          if (flights.get(key) === flight) {
            flights.delete(key)
            if (enabled) {
              if (entries.size >= maxEntries) {
                const oldest = entries.keys().next()
                if (!oldest.done) entries.delete(oldest.value)
              }
              entries.set(key, entry)
            }
          }
          return entry.value
        },
        (error: unknown) => {
          if (flights.get(key) === flight) flights.delete(key)
          throw error
        },
      )
      flights.set(key, flight)
      return flight
    },
    invalidate(key) {
      entries.delete(key)
      flights.delete(key)
    },
    invalidateTag(tag) {
      for (const [key, entry] of entries) if (entry.tag === tag) entries.delete(key)
      // A running load does not know its tag yet: drop them all so that none stores stale data.
      flights.clear()
    },
    clear() {
      entries.clear()
      flights.clear()
    },
    setEnabled(value) {
      enabled = value
      if (!value) cache.clear()
    },
    get size() {
      return entries.size
    },
  }
  return cache
}
