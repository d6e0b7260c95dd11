import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { CHANGES_CHANNEL } from '@hms-admin/database'
import type { ServeDatabase } from './create-database-store.js'

/** Why the cache stopped (or started) being trusted, for the log. */
export type ListenerEvent = 'heartbeat' | 'heartbeat_missed' | 'database_lost' | 'reconnected'

/** Options of `startChangeListener`. */
export interface ChangeListenerOptions {
  /** How often a heartbeat NOTIFY is sent; one not back by the next is missed. */
  heartbeatMs: number
  /** Each payload on `hms_admin_changes`. */
  onChange(payload: string): void
  /** `true` once a heartbeat came back through the listener, `false` when invalidation is not proven. */
  onTrusted(trusted: boolean, why: ListenerEvent): void
}

/** A running change listener. */
export interface ChangeListener {
  /** A read failed: the listening connection may be gone with the database; re-subscribe. */
  lost(): void
  stop(): Promise<void>
}

/**
 * Listens to `hms_admin_changes` and proves that notifications arrive: every `heartbeatMs` it sends
 * a NOTIFY on a channel of its own through the query path (`db`, the primary, as the CLI's writes)
 * and expects it back on the listening connection. Through a pooler in transaction mode LISTEN
 * succeeds and then receives nothing: the heartbeat never comes back and the cache stays bypassed.
 */
export function startChangeListener(database: ServeDatabase, options: ChangeListenerOptions): ChangeListener {
  const channel = `hms_admin_heartbeat_${randomBytes(6).toString('hex')}`
  let active = true
  let listening = false
  // null until the first heartbeat is back or missed, so that the first state is reported too.
  let trusted: boolean | null = null
  let awaiting: string | null = null
  let seq = 0
  let stopListening: (() => Promise<void>) | null = null
  let resubscribing: Promise<void> | null = null
  let timer: NodeJS.Timeout | null = null

  function setTrusted(value: boolean, why: ListenerEvent): void {
    if (value === trusted || (value && !active)) return
    trusted = value
    options.onTrusted(value, why)
  }

  function onNotify(payload: string, from: string): void {
    if (from !== channel) return options.onChange(payload)
    if (payload !== awaiting) return
    awaiting = null
    setTrusted(true, 'heartbeat')
  }

  function beat(): void {
    if (!active || !listening) return
    if (awaiting !== null) setTrusted(false, 'heartbeat_missed')
    const payload = String(++seq)
    awaiting = payload
    sql`select pg_notify(${channel}, ${payload})`.execute(database.db).catch(lost)
  }

  function onReconnect(): void {
    // The handle re-subscribed by itself: notifications may have been missed meanwhile.
    awaiting = null
    setTrusted(false, 'reconnected')
    beat()
  }

  async function subscribe(): Promise<void> {
    const stop = await database.listen([CHANGES_CHANNEL, channel], onNotify, onReconnect)
    if (!active) return void (await stop().catch(() => {}))
    stopListening = stop
    listening = true
    awaiting = null
    // Ticks start with the first heartbeat, so that each one has a full period to come back.
    if (timer) clearInterval(timer)
    timer = setInterval(beat, options.heartbeatMs)
    timer.unref()
    beat()
  }

  async function resubscribe(): Promise<void> {
    let delay = 200
    while (active && !listening) {
      const previous = stopListening
      stopListening = null
      if (previous) await previous().catch(() => {})
      try {
        // The query path first: heartbeats go through it, and while it is down there is no point.
        await sql`select 1`.execute(database.db)
        await subscribe()
        return
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delay).unref())
        delay = Math.min(delay * 2, 2000)
      }
    }
  }

  function lost(): void {
    if (!active || resubscribing) return
    listening = false
    awaiting = null
    setTrusted(false, 'database_lost')
    resubscribing = resubscribe().finally(() => {
      resubscribing = null
    })
  }

  resubscribing = resubscribe().finally(() => {
    resubscribing = null
  })
  return {
    lost,
    async stop() {
      active = false
      if (timer) clearInterval(timer)
      await resubscribing
      const stop = stopListening
      stopListening = null
      if (stop) await stop().catch(() => {})
    },
  }
}
