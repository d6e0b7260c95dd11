import type { Kysely } from 'kysely'
import {
  findSecretsSharedAmong,
  getSessionWithInfluencer,
  listLiveStreams,
  type Database,
  type SessionWithInfluencer,
} from '@hms-admin/database'
import { sql } from 'kysely'
import { startChangeListener } from './change-listener.js'
import type { ServeStore, StreamRecord } from './serve-store.js'

/** The part of a DatabaseHandle (@hms-admin/database) the endpoint uses. */
export interface ServeDatabase {
  db: Kysely<Database>
  listen(
    channels: string | readonly string[],
    onNotify: (payload: string, channel: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>
}

/** Options of `createDatabaseStore`. */
export interface DatabaseStoreOptions {
  /** How often a heartbeat NOTIFY proves that change notifications arrive (default 2000 ms). */
  heartbeatMs?: number
  /** Where the hot reads go (a read replica); default the database's own `db`. Never listened on. */
  reads?: Kysely<Database>
}

/**
 * The endpoint's reads on a database handle: one indexed query per stream, one for the list, each
 * followed by one query for the shared-secret facts of the influencers read (the cross-influencer
 * rules of the one evaluation), and change notifications on `hms_admin_changes`, trusted only while a heartbeat NOTIFY comes back
 * (change-listener.ts). When a read fails, the listening connection is presumed lost: the cache is
 * bypassed at once and the listener subscribes anew.
 */
export function createDatabaseStore(database: ServeDatabase, options: DatabaseStoreOptions = {}): ServeStore {
  const reads = options.reads ?? database.db
  let lost: (() => void) | null = null

  function failed(error: unknown): never {
    lost?.()
    throw error
  }

  async function withSharedSecrets(records: SessionWithInfluencer[]): Promise<StreamRecord[]> {
    const influencers = records.map(({ influencer }) => ({
      influencerId: influencer.id,
      credentials: influencer.credentials,
    }))
    const shared = await findSecretsSharedAmong(reads, influencers).catch(failed)
    return records.map((record) => ({ ...record, sharedSecrets: shared.get(String(record.influencer.id)) ?? [] }))
  }

  return {
    async getStream(sessionId) {
      const record = await getSessionWithInfluencer(reads, sessionId).catch(failed)
      return record ? ((await withSharedSecrets([record]))[0] ?? null) : null
    },
    async listLiveStreams() {
      return withSharedSecrets(await listLiveStreams(reads).catch(failed))
    },
    async ping() {
      const checks = [sql`select 1`.execute(database.db)]
      if (reads !== database.db) checks.push(sql`select 1`.execute(reads))
      await Promise.all(checks).catch(failed)
    },
    async subscribe(onChange, onSubscribed) {
      const heartbeatMs = options.heartbeatMs ?? 2000
      let reported!: () => void
      const firstState = new Promise<void>((resolve) => (reported = resolve))
      const listener = startChangeListener(database, {
        heartbeatMs,
        onChange,
        onTrusted: (trusted, why) => {
          reported()
          onSubscribed(trusted, why)
        },
      })
      lost = listener.lost
      // Resolves once the first heartbeat is back or missed (the listener may not connect at all).
      let timer: NodeJS.Timeout | undefined
      await Promise.race([firstState, new Promise((resolve) => (timer = setTimeout(resolve, 2 * heartbeatMs)))])
      clearTimeout(timer)
      return async () => {
        lost = null
        await listener.stop()
      }
    },
  }
}
