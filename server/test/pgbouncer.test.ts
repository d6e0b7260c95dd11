import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql, type Kysely } from 'kysely'
import {
  addInfluencer,
  getInfluencer,
  openDatabase,
  startSession,
  updateCredentials,
  type Database,
  type DatabaseHandle,
} from '@hms-admin/database'
import { migrateToLatest } from '@hms-admin/migrations'
// Every answer is checked against the endpoint's OpenAPI document.
import { checkedFetch as fetch } from '../../test-support/openapi-fetch.js'
import { startPooledDatabase, type PooledDatabase } from '../../test-support/pgbouncer.js'
import { startServer, type RunningServer, type StartServerOptions } from '../src/start-server.js'

// serve through a real PgBouncer (Debian's pgbouncer, transaction mode, stock settings otherwise),
// as behind Supabase's pooled port 6543. Changes are made directly in Postgres, as the CLI or the
// site's own app would.

const HEARTBEAT_MS = 2000
let pool: PooledDatabase
let direct: DatabaseHandle

beforeAll(async () => {
  pool = await startPooledDatabase()
  direct = await openDatabase({ databaseUrl: pool.directUrl })
  await migrateToLatest(direct.db as unknown as Kysely<any>)
})

afterAll(async () => {
  await direct?.close()
  await pool?.close()
})

/** A live session of a new influencer whose viewer room code is `roomCode`. */
async function liveStream(db: Kysely<Database>, roomCode: string, ids?: { influencer: string; session: string }) {
  const influencer = await addInfluencer(db, {
    handle: `p${randomUUID().slice(0, 8)}`,
    name: 'Pooled',
    ...(ids ? { id: ids.influencer } : {}),
  })
  await setRoomCode(db, influencer.id, roomCode)
  const session = ids
    ? (
        await sql<{ id: string }>`insert into live_stream_sessions (id, influencer_id, status, started_at)
          values (${ids.session}, ${influencer.id}, 'live', now()) returning id`.execute(db)
      ).rows[0]!
    : await startSession(db, { influencerId: influencer.id })
  return { influencerId: influencer.id, sessionId: session.id }
}

async function setRoomCode(db: Kysely<Database>, influencerId: string, roomCode: string): Promise<void> {
  const row = await getInfluencer(db, influencerId)
  const result = await updateCredentials(db, {
    influencerId,
    expectedVersion: row!.credentialsVersion,
    changes: { viewerRoomCode: roomCode },
    actor: 'test',
  })
  expect(result.ok).toBe(true)
}

async function servedRoomCode(url: string): Promise<string | undefined> {
  const body = (await (await fetch(url)).json()) as { credentials?: { roomCode?: string } }
  return body.credentials?.roomCode
}

/** Polls until `url` serves `roomCode`; fails once `deadlineMs` after `since` has passed. */
async function servedWithin(url: string, roomCode: string, since: number, deadlineMs: number): Promise<void> {
  for (;;) {
    if ((await servedRoomCode(url)) === roomCode) return
    if (Date.now() - since > deadlineMs) throw new Error(`${roomCode} was not served within ${deadlineMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * Requests `url` until an answer comes from memory (the notifications of the test's own setup
 * arrive asynchronously and may drop the first answers cached): then the cache holds it.
 */
async function cachedRoomCode(server: RunningServer, url: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const reads = server.stats().dbQueries
    const roomCode = await servedRoomCode(url)
    if (server.stats().dbQueries === reads) return roomCode
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('the answer was never served from memory')
}

async function health(server: RunningServer): Promise<unknown> {
  return (await fetch(`${server.url}/healthz`)).json()
}

function serve(database: StartServerOptions['database'], extra: Partial<StartServerOptions> = {}) {
  return startServer({ database, port: 0, rateLimitPerMinute: 0, heartbeatMs: HEARTBEAT_MS, ...extra })
}

describe('hms-admin serve through PgBouncer in transaction mode', () => {
  it('starts on the pooled URL alone, reports the cache bypassed and serves a change within the heartbeat bound', async () => {
    const logs: string[] = []
    const server = await serve({ databaseUrl: pool.pooledUrl }, { log: (line) => logs.push(line) })
    try {
      // LISTEN through the pool succeeds and receives nothing: the heartbeat never comes back.
      expect(await health(server)).toEqual({ ok: true, cache: 'bypassed' })
      expect(logs.join('\n')).toMatch(/heartbeat NOTIFY did not come back.*cache bypassed.*--listen-url/)
      expect(server.stats().subscribed).toBe(false)
      const { influencerId, sessionId } = await liveStream(direct.db, 'old-pool-eda')
      const url = `${server.url}/api/live-streams/${sessionId}/viewer`
      expect(await servedRoomCode(url)).toBe('old-pool-eda')
      const changedAt = Date.now()
      await setRoomCode(direct.db, influencerId, 'new-pool-eda')
      await servedWithin(url, 'new-pool-eda', changedAt, HEARTBEAT_MS)
      expect(await health(server)).toEqual({ ok: true, cache: 'bypassed' })
    } finally {
      await server.close()
    }
  })

  it('with --listen-url on a direct connection, turns the cache on and serves a change within 1 second', async () => {
    const server = await serve({ databaseUrl: pool.pooledUrl, listenUrl: pool.directUrl })
    try {
      expect(await health(server)).toEqual({ ok: true, cache: 'on' })
      const { influencerId, sessionId } = await liveStream(direct.db, 'old-list-ena')
      const url = `${server.url}/api/live-streams/${sessionId}/viewer`
      expect(await cachedRoomCode(server, url)).toBe('old-list-ena')
      const changedAt = Date.now()
      await setRoomCode(direct.db, influencerId, 'new-list-ena')
      await servedWithin(url, 'new-list-ena', changedAt, 1000)
    } finally {
      await server.close()
    }
  })

  it('answers 503 while PgBouncer restarts under load, then recovers, and never serves the old credential after a change', async () => {
    const server = await serve({ databaseUrl: pool.pooledUrl, listenUrl: pool.directUrl })
    const { influencerId, sessionId } = await liveStream(direct.db, 'old-rest-art')
    const url = `${server.url}/api/live-streams/${sessionId}/viewer`
    const answers: { startedAt: number; status: number; roomCode?: string }[] = []
    let changedAt = Number.POSITIVE_INFINITY
    let loading = true
    const client = async () => {
      while (loading) {
        const startedAt = Date.now()
        const res = await fetch(url)
        const body = (await res.json()) as { credentials?: { roomCode?: string } }
        answers.push({ startedAt, status: res.status, roomCode: body.credentials?.roomCode })
      }
    }
    const load = Promise.all([client(), client(), client(), client()])
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    try {
      await until(() => answers.some((a) => a.status === 200))
      await pool.bouncer.stop()
      await until(() => answers.some((a) => a.status === 503))
      // Changed while the pool is down, directly in Postgres.
      await setRoomCode(direct.db, influencerId, 'new-rest-art')
      changedAt = Date.now()
      await pool.bouncer.start()
      await until(() => answers.some((a) => a.startedAt > changedAt && a.status === 200))
      const recoveredAt = answers.length
      await until(() => answers.length > recoveredAt + 50)
    } finally {
      loading = false
      await load.catch(() => {})
      await server.close()
      if (answers.length === 0) await pool.bouncer.start().catch(() => {})
    }
    expect(answers.some((a) => a.status === 503)).toBe(true)
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 503]))
    const after = answers.filter((a) => a.startedAt > changedAt && a.status === 200)
    expect(after.length).toBeGreaterThan(50)
    expect(after.filter((a) => a.roomCode !== 'new-rest-art')).toEqual([])
  })

  it('bounds every cached answer by --cache-max-age, even for a change that sends no notification', async () => {
    const server = await serve({ databaseUrl: pool.pooledUrl, listenUrl: pool.directUrl }, { cacheMaxAgeMs: 1000 })
    try {
      expect(await health(server)).toEqual({ ok: true, cache: 'on' })
      const { influencerId, sessionId } = await liveStream(direct.db, 'old-maxa-gea')
      const url = `${server.url}/api/live-streams/${sessionId}/viewer`
      expect(await cachedRoomCode(server, url)).toBe('old-maxa-gea')
      // Triggers off for this transaction: the change is made without a NOTIFY.
      const changedAt = Date.now()
      await direct.db.transaction().execute(async (tx) => {
        await sql`set local session_replication_role = replica`.execute(tx)
        await sql`update influencers set hms_viewer_room_code = 'new-maxa-gea' where id = ${influencerId}`.execute(tx)
      })
      expect(await servedRoomCode(url)).toBe('old-maxa-gea')
      // The max age plus one request.
      await servedWithin(url, 'new-maxa-gea', changedAt, 1500)
    } finally {
      await server.close()
    }
  })
})

describe('hms-admin serve --read-url', () => {
  // The "replica" is a second database kept in step by the test, which plays the replication lag:
  // a change reaches it some time after the primary (whose NOTIFY arrives first).
  let replica: DatabaseHandle
  beforeAll(async () => {
    replica = await openDatabase({ databaseUrl: await pool.createDatabase() })
    await migrateToLatest(replica.db as unknown as Kysely<any>)
  })
  afterAll(async () => {
    await replica?.close()
  })

  it('reads from the replica, listens on the primary, and does not keep a read made before the replica caught up', async () => {
    const ids = { influencer: randomUUID(), session: randomUUID() }
    const { influencerId, sessionId } = await liveStream(direct.db, 'pri-mary-one', ids)
    await liveStream(replica.db, 'rep-lica-one', ids)
    const replicaUrl = pool.bouncer.url(new URL(await replicaDatabaseUrl()).pathname.slice(1))
    const server = await serve({ databaseUrl: pool.directUrl, readUrl: replicaUrl })
    try {
      expect(await health(server)).toEqual({ ok: true, cache: 'on' })
      const url = `${server.url}/api/live-streams/${sessionId}/viewer`
      expect(await servedRoomCode(url)).toBe('rep-lica-one')
      await setRoomCode(direct.db, influencerId, 'pri-mary-two')
      // The notification came from the primary; the replica has not replayed the change yet.
      await servedWithin(url, 'rep-lica-one', Date.now(), 1000)
      const reads = server.stats().dbQueries
      await servedWithin(url, 'rep-lica-one', Date.now(), 1000)
      await new Promise((resolve) => setTimeout(resolve, 200))
      const replayedAt = Date.now()
      await setRoomCode(replica.db, influencerId, 'pri-mary-two')
      await servedWithin(url, 'pri-mary-two', replayedAt, 1000)
      // What was read within the settle window was served, never kept.
      expect(server.stats().dbQueries).toBeGreaterThan(reads)
    } finally {
      await server.close()
    }
  })

  async function replicaDatabaseUrl(): Promise<string> {
    const r = await sql<{ db: string }>`select current_database() as db`.execute(replica.db)
    const u = new URL(pool.directUrl)
    u.pathname = `/${r.rows[0]!.db}`
    return u.toString()
  }
})
