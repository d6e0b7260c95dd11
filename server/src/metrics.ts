/** Upper bounds (seconds) of the database latency histogram's buckets. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const

/** The endpoint's counters, rendered as Prometheus text (exposition format 0.0.4). */
export interface Metrics {
  /** One answer of an API route (`viewer`, `live_streams`, `healthz`, `openapi`, `metrics`, `other`). */
  request(route: string, status: number): void
  cacheHit(): void
  cacheMiss(): void
  /** One database read's duration in seconds. */
  dbLatency(seconds: number): void
  render(state: { listenerUp: boolean; handouts: ReadonlyMap<string, ReadonlyMap<number, number>> }): string
}

const labelValue = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')

/** Creates an empty set of counters. */
export function createMetrics(): Metrics {
  const requests = new Map<string, number>()
  const cache = { hits: 0, misses: 0 }
  const buckets = LATENCY_BUCKETS.map(() => 0)
  let latencyCount = 0
  let latencySum = 0
  return {
    request(route, status) {
      const key = `route="${route}",status="${status}"`
      requests.set(key, (requests.get(key) ?? 0) + 1)
    },
    cacheHit: () => void cache.hits++,
    cacheMiss: () => void cache.misses++,
    dbLatency(seconds) {
      latencyCount++
      latencySum += seconds
      for (const [i, bound] of LATENCY_BUCKETS.entries()) if (seconds <= bound) buckets[i]! += 1
    },
    render({ listenerUp, handouts }) {
      const out = [
        '# HELP hms_http_requests_total API answers by route and HTTP status.',
        '# TYPE hms_http_requests_total counter',
        ...[...requests].map(([labels, n]) => `hms_http_requests_total{${labels}} ${n}`),
        '# HELP hms_cache_hits_total Viewer and list answers served from memory.',
        '# TYPE hms_cache_hits_total counter',
        `hms_cache_hits_total ${cache.hits}`,
        '# HELP hms_cache_misses_total Viewer and list answers that needed a database read.',
        '# TYPE hms_cache_misses_total counter',
        `hms_cache_misses_total ${cache.misses}`,
        '# HELP hms_db_query_duration_seconds Database reads made for answers.',
        '# TYPE hms_db_query_duration_seconds histogram',
        ...LATENCY_BUCKETS.map((b, i) => `hms_db_query_duration_seconds_bucket{le="${b}"} ${buckets[i]}`),
        `hms_db_query_duration_seconds_bucket{le="+Inf"} ${latencyCount}`,
        `hms_db_query_duration_seconds_sum ${latencySum}`,
        `hms_db_query_duration_seconds_count ${latencyCount}`,
        '# HELP hms_notify_listener_up 1 while change notifications are proven to arrive (the cache is used), else 0.',
        '# TYPE hms_notify_listener_up gauge',
        `hms_notify_listener_up ${listenerUp ? 1 : 0}`,
        '# HELP hms_viewer_handouts_total Viewer-credential answers by influencer handle and HTTP status, since start.',
        '# TYPE hms_viewer_handouts_total counter',
      ]
      for (const [handle, byStatus] of handouts)
        for (const [status, n] of byStatus)
          out.push(`hms_viewer_handouts_total{influencer="${labelValue(handle)}",status="${status}"} ${n}`)
      return `${out.join('\n')}\n`
    },
  }
}
