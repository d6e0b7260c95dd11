/** One counted minute of one session and status, ready to add to `hms_viewer_handouts`. */
export interface HandoutRow {
  sessionId: string
  minute: Date
  status: number
  count: number
}

/** Counts viewer-credential answers in memory and flushes them in batches, never on the request path. */
export interface HandoutCounter {
  /** Counts one answer (O(1), no I/O): the session, the HTTP status and, when known, the influencer handle. */
  count(sessionId: string, status: number, handle?: string | null): void
  /** Totals since start by influencer handle and status (for /metrics). */
  byHandle(): ReadonlyMap<string, ReadonlyMap<number, number>>
  /** Writes what was counted since the last flush (one batch); kept for the next try if the write fails. */
  flush(): Promise<void>
  /** Stops the timer and flushes what is left. */
  close(): Promise<void>
}

/** Options of createHandoutCounter. */
export interface HandoutCounterOptions {
  /** Adds a batch of rows (an upsert that adds counts). */
  write: (rows: HandoutRow[]) => Promise<void>
  /** At most one write per this long (default 10 s). */
  intervalMs?: number
  now?: () => number
  log?: (line: string) => void
}

/** Creates the counter and its flush timer (unref'd: it never keeps the process alive). */
export function createHandoutCounter(options: HandoutCounterOptions): HandoutCounter {
  const now = options.now ?? Date.now
  let pending = new Map<string, HandoutRow>()
  const handles = new Map<string, Map<number, number>>()
  let flushing: Promise<void> | null = null
  const flush = (): Promise<void> => {
    if (flushing) return flushing
    if (pending.size === 0) return Promise.resolve()
    const batch = pending
    pending = new Map()
    flushing = options
      .write([...batch.values()])
      .catch((error: unknown) => {
        // Kept, not lost: merged back for the next flush.
        for (const [key, row] of batch) {
          const kept = pending.get(key)
          if (kept) kept.count += row.count
          else pending.set(key, row)
        }
        options.log?.(
          `hand-out counts not written yet (${error instanceof Error ? error.name : 'error'}); retrying later`,
        )
      })
      .finally(() => {
        flushing = null
      })
    return flushing
  }
  const timer = setInterval(() => void flush(), options.intervalMs ?? 10_000)
  timer.unref()
  return {
    count(sessionId, status, handle) {
      const minute = Math.floor(now() / 60_000) * 60_000
      const key = `${sessionId} ${minute} ${status}`
      const row = pending.get(key)
      if (row) row.count += 1
      else pending.set(key, { sessionId, minute: new Date(minute), status, count: 1 })
      if (handle) {
        const byStatus = handles.get(handle) ?? new Map<number, number>()
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
        handles.set(handle, byStatus)
      }
    },
    byHandle: () => handles,
    flush,
    async close() {
      clearInterval(timer)
      await flushing
      await flush()
    },
  }
}
