import { createSingleFlightCache, type SingleFlightCache } from './single-flight-cache.js'

/** Options of `createAnswerCache`. */
export interface AnswerCacheOptions {
  /** No answer is served from memory longer than this after its read began (`--cache-max-age`). */
  maxAgeMs: number
  /**
   * Answers read within this long after a change notification are served but not kept: a read
   * replica may not have replayed the change yet (default 0, reads on the primary).
   */
  settleMs?: number
  /** The clock in ms (tests). */
  now?: () => number
}

/** The endpoint's answer caches, used only while change notifications are proven to arrive. */
export interface AnswerCache<V> {
  /** Per stream, keyed by lower-case session id, tagged with the influencer id. */
  streams: SingleFlightCache<V>
  /** The live-stream list. */
  lists: SingleFlightCache<V>
  /** True while the caches are used (notifications proven to arrive). */
  readonly trusted: boolean
  /** Uses the caches (true) or bypasses them (false); both start empty either way. */
  setTrusted(trusted: boolean): void
  /** Invalidates what a `hms_admin_changes` payload names (everything when it cannot be read). */
  onChange(payload: string): void
  /** Until when an answer whose read began at `startedAt` may be served from memory. */
  expiresAt(startedAt: number, ttlMs?: number): number
}

interface ChangePayload {
  table?: unknown
  id?: unknown
  influencerId?: unknown
}

function parse(payload: string): ChangePayload | null {
  try {
    const parsed: unknown = JSON.parse(payload)
    return parsed !== null && typeof parsed === 'object' ? (parsed as ChangePayload) : null
  } catch {
    return null
  }
}

/** Creates the caches, bypassed until `setTrusted(true)`. */
export function createAnswerCache<V>(options: AnswerCacheOptions): AnswerCache<V> {
  const now = options.now ?? Date.now
  const settleMs = options.settleMs ?? 0
  const streams = createSingleFlightCache<V>()
  const lists = createSingleFlightCache<V>(4)
  let trusted = false
  let lastChangeAt = Number.NEGATIVE_INFINITY
  streams.setEnabled(false)
  lists.setEnabled(false)
  return {
    streams,
    lists,
    get trusted() {
      return trusted
    },
    setTrusted(value) {
      trusted = value
      // Notifications may have been missed either way, and a read begun before now must not be
      // kept (clear() drops the running loads too).
      streams.clear()
      lists.clear()
      streams.setEnabled(value)
      lists.setEnabled(value)
    },
    onChange(payload) {
      lastChangeAt = now()
      lists.clear()
      const change = parse(payload)
      if (change?.table === 'live_stream_sessions' && typeof change.id === 'string') {
        streams.invalidate(change.id.toLowerCase())
      } else {
        // An influencer's change can make another influencer's secret shared (or no longer shared),
        // so it changes that other influencer's answers too (token.shared): drop them all.
        streams.clear()
      }
    },
    expiresAt(startedAt, ttlMs = options.maxAgeMs) {
      if (startedAt < lastChangeAt + settleMs) return startedAt
      return startedAt + Math.min(ttlMs, options.maxAgeMs)
    },
  }
}
