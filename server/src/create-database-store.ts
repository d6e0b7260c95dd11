import { sql, type Kysely } from 'kysely'
import { CHANGES_CHANNEL, getSessionWithInfluencer, listLiveStreams, type Database } from '@hms-admin/database'
import type { ServeStore } from './serve-store.js'

/** The part of a DatabaseHandle (@hms-admin/database) the endpoint uses. */
export interface ServeDatabase {
  db: Kysely<Database>
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>
}

/** Options of `createDatabaseStore`. */
export interface DatabaseStoreOptions {
  /** How often the listening state is checked with a `select 1` (default 1000 ms). */
  heartbeatMs?: number
}

/**
 * The endpoint's reads on a database handle: one indexed query per stream, one for the list, and
 * change notifications on `hms_admin_changes`. When a read or the heartbeat fails, the listening
 * connection is presumed lost: `onSubscribed(false)` at once, then the store subscribes anew
 * (whatever the handle's own reconnection does) and reports `true` once LISTEN succeeded again.
 */
export function createDatabaseStore(database: ServeDatabase, options: DatabaseStoreOptions = {}): ServeStore {
  const { db } = database
  const heartbeatMs = options.heartbeatMs ?? 1000
  let onState: ((subscribed: boolean) => void) | null = null
  let onChangeHandler: ((payload: string) => void) | null = null
  let stopListening: (() => Promise<void>) | null = null
  let active = false
  let lost = false
  let resubscribing: Promise<void> | null = null
  let heartbeat: NodeJS.Timeout | null = null

  function markLost(): void {
    if (!active || lost) return
    lost = true
    onState?.(false)
    resubscribing ??= resubscribe().finally(() => {
      resubscribing = null
    })
  }

  async function resubscribe(): Promise<void> {
    let delay = 200
    while (active && lost) {
      const previous = stopListening
      stopListening = null
      if (previous) await previous().catch(() => {})
      try {
        await sql`select 1`.execute(db)
        const stop = await database.listen(CHANGES_CHANNEL, (payload) => onChangeHandler?.(payload))
        if (!active) {
          await stop().catch(() => {})
          return
        }
        stopListening = stop
        lost = false
        onState?.(true)
        return
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delay).unref())
        delay = Math.min(delay * 2, 2000)
      }
    }
  }

  function failed(error: unknown): never {
    markLost()
    throw error
  }

  return {
    async getStream(sessionId) {
      return (await getSessionWithInfluencer(db, sessionId).catch(failed)) ?? null
    },
    async listLiveStreams() {
      return listLiveStreams(db).catch(failed)
    },
    async ping() {
      await sql`select 1`.execute(db).catch(failed)
    },
    async subscribe(onChange, onSubscribed) {
      onState = onSubscribed
      onChangeHandler = onChange
      active = true
      try {
        stopListening = await database.listen(
          CHANGES_CHANNEL,
          (payload) => onChangeHandler?.(payload),
          () => {
            // The handle re-subscribed by itself: notifications may have been missed meanwhile.
            if (!lost) {
              onState?.(false)
              onState?.(true)
            }
          },
        )
        onSubscribed(true)
      } catch {
        lost = false
        markLost()
      }
      heartbeat = setInterval(() => {
        if (lost) return
        sql`select 1`.execute(db).catch(() => markLost())
      }, heartbeatMs)
      heartbeat.unref()
      return async () => {
        active = false
        if (heartbeat) clearInterval(heartbeat)
        onState = null
        onChangeHandler = null
        await resubscribing
        const stop = stopListening
        stopListening = null
        if (stop) await stop().catch(() => {})
      }
    },
  }
}
