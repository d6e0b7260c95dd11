import { randomUUID } from 'node:crypto'
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
// Every answer is checked against the endpoint's OpenAPI document.
import { checkedFetch as fetch } from '../../test-support/openapi-fetch.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql, type Kysely } from 'kysely'
import { migrateToLatest as migrateRealToLatest } from '@hms-admin/migrations'
import { testBackends } from '../../test-support/backends.js'
import { CREDENTIAL_FIELDS, evaluateInfluencer, type CredentialField, type Credentials } from '@hms-admin/core'
import { malformedToken, mintBroadcasterToken, mintToken, payloadHasDecodeHazard } from '../../test-support/tokens.js'
import {
  embeddedSocketDir as embeddedSocketDirOf,
  endSession,
  getInfluencer,
  openDatabase as openRealDatabase,
  updateCredentials,
} from '@hms-admin/database'
import { startPrivatePostgres } from '../../test-support/private-postgres.js'
import { defaultWidgetDir } from '../src/create-request-handler.js'
import {
  startServer,
  type RunningServer,
  type ServeDatabaseHandle,
  type ServeDatabaseOptions,
} from '../src/start-server.js'

// The real server against both database backends (test-support/backends.ts): pglite always,
// postgres when TEST_DATABASE_URL is set.

const backends = testBackends()
const openDatabase = (options: ServeDatabaseOptions): Promise<ServeDatabaseHandle> => openRealDatabase(options)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const migrateToLatest = (db: unknown) => migrateRealToLatest(db as Kysely<any>)

async function mintClean(mint: () => Promise<string>): Promise<string> {
  for (;;) {
    const token = await mint()
    if (!payloadHasDecodeHazard(token)) return token
  }
}

/** A TCP proxy to a unix socket: cut() drops every connection and refuses new ones, restore() accepts again. */
async function tcpProxy(target: {
  path: string
}): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  let server: TcpServer | null = null
  let port = 0
  const start = () =>
    new Promise<void>((resolve) => {
      server = createTcpServer((client) => {
        const upstream = connect(target.path)
        sockets.add(client).add(upstream)
        const drop = () => {
          client.destroy()
          upstream.destroy()
          sockets.delete(client)
          sockets.delete(upstream)
        }
        client.on('error', drop).on('close', drop)
        upstream.on('error', drop).on('close', drop)
        client.pipe(upstream).pipe(client)
      })
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port
        resolve()
      })
    })
  const cut = async () => {
    const current = server
    server = null
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    if (current) await new Promise<void>((resolve) => (current as TcpServer).close(() => resolve()))
  }
  await start()
  return { port, cut, restore: start, close: cut }
}

type SlotState = 'absent' | 'valid' | 'invalid'

/** The change notifications a server applied (its `onChange`), and a wait for one that matches. */
function changeLog() {
  const applied: { table?: string; op?: string; id?: string; influencerId?: string }[] = []
  const waiters = new Set<{ test: (change: (typeof applied)[number]) => boolean; resolve: () => void }>()
  return {
    onChange(payload: string) {
      const change = JSON.parse(payload) as (typeof applied)[number]
      applied.push(change)
      for (const waiter of waiters)
        if (waiter.test(change)) {
          waiters.delete(waiter)
          waiter.resolve()
        }
    },
    /** Where the log is now: `seen` only looks at changes applied after it. */
    mark: () => applied.length,
    seen(test: (change: (typeof applied)[number]) => boolean, since: number): Promise<void> {
      if (applied.slice(since).some(test)) return Promise.resolve()
      return new Promise((resolve) => waiters.add({ test, resolve }))
    },
  }
}

async function raw(url: string, path: string): Promise<number> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let data = ''
    socket.on('data', (chunk) => (data += chunk.toString('latin1')))
    socket.on('error', reject)
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)))
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 'utf8')
  })
}

const FUZZ_IDS = [
  '',
  ' ',
  'x',
  '1',
  '0',
  '-1',
  'null',
  'undefined',
  'NaN',
  '00000000-0000-0000-0000-00000000000',
  '00000000-0000-0000-0000-0000000000000',
  '00000000000000000000000000000000',
  '{00000000-0000-0000-0000-000000000000}',
  "00000000-0000-0000-0000-00000000000'",
  "' or 1=1 --",
  '1;drop table influencers',
  '%27%20or%201%3D1',
  'gggggggg-gggg-gggg-gggg-gggggggggggg',
  '00000000-0000-0000-0000-00000000000%00',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '..',
  '.',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e',
  'a/b',
  '00000000-0000-0000-0000-000000000000/extra',
  'ｆｆｆｆｆｆｆｆ-0000-0000-0000-000000000000',
  '00000000-0000-0000-0000-000000000000%20',
  `%20${randomUUID()}`,
  randomUUID().replace(/-/g, '_'),
  'A'.repeat(5000),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style probe, literally
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
]

const FUZZ_PATHS = [
  '/api',
  '/api/',
  '/api/live-streams/',
  '/api/live-streams//viewer',
  '/api/live-streams/x/viewer/',
  '/api//live-streams',
  '/%',
  '/%00',
  '/..%2f',
  '/widget/',
  '/widget/..%2f..%2fpackage.json',
  '/widget/%2e%2e/%2e%2e/package.json',
  '/widget/../../package.json',
  '/widget/%00.js',
  '/widget/.hidden',
  '/widget/chunks/',
  '/widget/%E0%A4%A',
  '/healthz/',
  '/watch',
  '/watch?session=',
  '/watch?session=%3Cscript%3E',
  `/?${'x'.repeat(3000)}`,
  '//',
  '/\\',
]

describe('hms-admin serve on the databases', () => {
  describe.each(backends.map((backend) => [backend.name, backend] as const))('on %s', (name, backend) => {
    let handle: ServeDatabaseHandle
    let other: ServeDatabaseHandle
    let a: RunningServer
    let b: RunningServer
    let fallback: RunningServer
    const changesA = changeLog()
    const changesB = changeLog()
    let viewerToken: string
    let broadcasterToken: string
    const ids = {
      influencer: randomUUID(),
      live: randomUUID(),
      ended: randomUUID(),
      scheduled: randomUUID(),
      bare: randomUUID(),
      bareSession: randomUUID(),
      bad: randomUUID(),
      badSession: randomUUID(),
    }

    async function insertInfluencer(
      id: string,
      credentials: Credentials,
      sessionId: string,
      status = 'live',
    ): Promise<void> {
      await sql`insert into influencers (id, name, handle, hms_auth_token, room_code, hms_viewer_auth_token, hms_viewer_room_code)
        values (${id}, ${`Name ${id.slice(0, 8)}`}, ${`h${id.replace(/-/g, '')}`}, ${credentials.broadcasterToken},
        ${credentials.broadcasterRoomCode}, ${credentials.viewerToken}, ${credentials.viewerRoomCode})`.execute(
        handle.db,
      )
      await sql`insert into live_stream_sessions (id, influencer_id, title, status, started_at)
        values (${sessionId}, ${id}, 'Stream', ${status}, now())`.execute(handle.db)
    }

    beforeAll(async () => {
      await backend.setup()
      handle = await openDatabase(backend.options)
      await migrateToLatest(handle.db)
      other = await openDatabase(backend.options)
      viewerToken = await mintClean(() => mintToken())
      broadcasterToken = await mintClean(() => mintBroadcasterToken({ room_id: 'bbbbbbbbbbbbbbbbbbbbbbbb' }))
      await insertInfluencer(
        ids.influencer,
        { broadcasterToken, broadcasterRoomCode: 'bro-adca-ast', viewerToken, viewerRoomCode: 'vie-werr-oom' },
        ids.live,
      )
      await sql`insert into live_stream_sessions (id, influencer_id, title, status) values (${ids.ended}, ${ids.influencer}, 'Old', 'ended'), (${ids.scheduled}, ${ids.influencer}, 'Soon', 'scheduled')`.execute(
        handle.db,
      )
      await insertInfluencer(
        ids.bare,
        { broadcasterToken: null, broadcasterRoomCode: null, viewerToken: null, viewerRoomCode: null },
        ids.bareSession,
      )
      await insertInfluencer(
        ids.bad,
        {
          broadcasterToken: null,
          broadcasterRoomCode: null,
          viewerToken: malformedToken('two_parts'),
          viewerRoomCode: null,
        },
        ids.badSession,
      )
      const common = {
        port: 0,
        rateLimitPerMinute: 0,
        demo: true,
        allowOrigins: ['https://shop.example'],
        migrate: async () => {},
      }
      a = await startServer({ ...common, database: handle, onChange: changesA.onChange })
      b = await startServer({ ...common, database: other, onChange: changesB.onChange })
      fallback = await startServer({ ...common, database: handle, allowBroadcasterFallback: true })
    })

    afterAll(async () => {
      await a?.close()
      await b?.close()
      await fallback?.close()
      await other?.close()
      await handle?.close()
      await backend.teardown()
    })

    it(`lists live streams without secrets (${name})`, async () => {
      const res = await fetch(`${a.url}/api/live-streams`)
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(text).not.toContain(viewerToken)
      expect(text).not.toContain(broadcasterToken)
      const body = JSON.parse(text) as { streams: { sessionId: string; access: string; influencer: { id: string } }[] }
      const mine = body.streams.find((stream) => stream.sessionId === ids.live)
      expect(mine).toMatchObject({ access: 'ready', influencer: { id: ids.influencer } })
      expect(body.streams.some((stream) => stream.sessionId === ids.ended)).toBe(false)
    })

    it(`answers the viewer credentials with no-store and expiresAt (${name})`, async () => {
      const res = await fetch(`${a.url}/api/live-streams/${ids.live}/viewer`)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const body = (await res.json()) as Record<string, Record<string, unknown>>
      expect(body.credentials).toEqual({
        authToken: viewerToken,
        roomCode: 'vie-werr-oom',
        source: 'viewer',
        expiresAt: expect.any(String),
      })
      expect(body.session).toMatchObject({ sessionId: ids.live, status: 'live', access: 'ready' })
    })

    it(`answers every error code of the contract (${name})`, async () => {
      const code = async (path: string) => {
        const res = await fetch(`${a.url}${path}`)
        const body = (await res.json()) as { error: { code: string; message: string } }
        return [res.status, body.error.code]
      }
      expect(await code(`/api/live-streams/${randomUUID()}/viewer`)).toEqual([404, 'stream_not_found'])
      expect(await code(`/api/live-streams/${ids.ended}/viewer`)).toEqual([409, 'stream_not_live'])
      expect(await code(`/api/live-streams/${ids.scheduled}/viewer`)).toEqual([409, 'stream_not_live'])
      expect(await code(`/api/live-streams/${ids.bareSession}/viewer`)).toEqual([403, 'viewer_access_not_configured'])
      expect(await code(`/api/live-streams/${ids.badSession}/viewer`)).toEqual([403, 'viewer_token_invalid'])
      expect(await code('/api/live-streams/123/viewer')).toEqual([400, 'bad_request'])
      expect(await code('/api/nothing')).toEqual([404, 'not_found'])
      const post = await fetch(`${a.url}/api/live-streams/${ids.live}/viewer`, { method: 'POST' })
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD, OPTIONS'])
    })

    it(`answers the health check, the widget files and the demo pages (${name})`, async () => {
      // Started once the first heartbeat NOTIFY came back through the listener: the cache is on.
      expect(await (await fetch(`${a.url}/healthz`)).json()).toEqual({ ok: true, cache: 'on' })
      const page = await fetch(`${a.url}/`)
      expect(page.headers.get('content-security-policy')).toContain("worker-src 'self' blob:")
      const html = await page.text()
      expect(html).toContain('<live-stream-list api-base="/api" watch-href="/watch?session={sessionId}">')
      // No favicon request, so no 404 in the console.
      expect(html).toContain('<link rel="icon" href="data:,">')
      const watch = await fetch(`${a.url}/watch?session=${ids.live}`)
      expect(await watch.text()).toContain(`<live-stream-viewer session-id="${ids.live}" api-base="/api"`)
      if (existsSync(join(defaultWidgetDir(), 'live-stream-viewer.js'))) {
        const script = await fetch(`${a.url}/widget/live-stream-viewer.js`)
        expect(script.status).toBe(200)
        expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
        expect(script.headers.get('cache-control')).toContain('max-age')
        const again = await fetch(`${a.url}/widget/live-stream-viewer.js`, {
          headers: { 'if-none-match': script.headers.get('etag') ?? '' },
        })
        expect(again.status).toBe(304)
      }
      expect((await fetch(`${a.url}/widget/nope.js`)).status).toBe(404)
    })

    it(`answers CORS for allowed origins only, preflight included (${name})`, async () => {
      const url = `${a.url}/api/live-streams/${ids.live}/viewer`
      const allowed = await fetch(url, { headers: { origin: 'https://shop.example' } })
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example')
      expect(allowed.headers.get('vary')).toContain('Origin')
      const refused = await fetch(url, { headers: { origin: 'https://evil.example' } })
      expect(refused.headers.get('access-control-allow-origin')).toBeNull()
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example')
      const refusedPreflight = await fetch(url, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      })
      expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull()
    })

    it(`never hands out a broadcaster secret with the fallback off, for every combination of stored credentials (${name})`, async () => {
      const states: SlotState[] = ['absent', 'valid', 'invalid']
      // Every case gets values of its own: a value held by two influencers is unusable (token.shared).
      const valuesOf = async (i: number): Promise<Record<CredentialField, Record<SlotState, string | null>>> => {
        const letters = String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26))
        return {
          broadcasterToken: {
            absent: null,
            valid: await mintClean(() => mintBroadcasterToken({ room_id: 'bbbbbbbbbbbbbbbbbbbbbbbb' })),
            invalid: malformedToken('payload_not_json'),
          },
          broadcasterRoomCode: { absent: null, valid: `bro-ad${letters}-ast`, invalid: 'BROADCAST' },
          viewerToken: {
            absent: null,
            valid: await mintClean(() => mintToken()),
            invalid: await mintClean(() => mintToken({ exp: Math.floor(Date.now() / 1000) - 60 })),
          },
          viewerRoomCode: { absent: null, valid: `vie-we${letters}-oom`, invalid: 'not a code' },
        }
      }
      const cases: { sessionId: string; credentials: Credentials }[] = []
      for (const bt of states)
        for (const br of states)
          for (const vt of states)
            for (const vr of states) {
              const values = await valuesOf(cases.length)
              const picked: Record<CredentialField, SlotState> = {
                broadcasterToken: bt,
                broadcasterRoomCode: br,
                viewerToken: vt,
                viewerRoomCode: vr,
              }
              const credentials = Object.fromEntries(
                CREDENTIAL_FIELDS.map((field) => [field, values[field][picked[field]]]),
              ) as unknown as Credentials
              const sessionId = randomUUID()
              await insertInfluencer(randomUUID(), credentials, sessionId)
              cases.push({ sessionId, credentials })
            }
      expect(cases).toHaveLength(81)
      for (const { sessionId, credentials } of cases) {
        for (const [server, allowBroadcasterFallback] of [
          [a, false],
          [fallback, true],
        ] as const) {
          const res = await fetch(`${server.url}/api/live-streams/${sessionId}/viewer`)
          const text = await res.text()
          const expected = evaluateInfluencer({ credentials, isLive: true, allowBroadcasterFallback }).resolution
          if (!allowBroadcasterFallback) {
            for (const secret of [credentials.broadcasterToken, credentials.broadcasterRoomCode])
              if (secret) expect(text).not.toContain(secret)
          }
          if (expected.ok) {
            expect(res.status).toBe(200)
            const body = JSON.parse(text) as { credentials: Record<string, unknown> }
            expect(body.credentials.source).toBe(expected.source)
            expect(body.credentials.authToken).toBe(expected.authToken)
            expect(body.credentials.roomCode).toBe(expected.roomCode)
          } else {
            expect([res.status, (JSON.parse(text) as { error: { code: string } }).error.code]).toEqual([
              403,
              expected.error,
            ])
          }
        }
      }
    })

    it(`answers 400 or 404 and never 500 for a fuzzed corpus of malformed ids and paths (${name})`, async () => {
      for (const id of FUZZ_IDS) {
        const status = await raw(a.url, `/api/live-streams/${id}/viewer`)
        expect([id, status]).toEqual([id, 400])
      }
      for (const path of FUZZ_PATHS) {
        const status = await raw(a.url, path)
        expect([path, [400, 404].includes(status)]).toEqual([path, true])
      }
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200)
    })

    it(`serves a change made through the database on two running instances once notified (${name})`, async () => {
      // How fast the notification arrives is measured by `npm run bench`; here: once a server has
      // applied it, its very next answer is the new one.
      const url = (server: RunningServer) => `${server.url}/api/live-streams/${ids.live}/viewer`
      await Promise.all([fetch(url(a)), fetch(url(b))])
      const next = await mintClean(() => mintToken({ user_id: 'after-change' }))
      const since = [changesA.mark(), changesB.mark()] as const
      // The same repository call `hms-admin set-token` makes.
      const row = await getInfluencer(handle.db, ids.influencer)
      const update = await updateCredentials(handle.db, {
        influencerId: ids.influencer,
        expectedVersion: row!.credentialsVersion,
        changes: { viewerToken: next },
        actor: 'test',
      })
      expect(update.ok).toBe(true)
      const influencerChanged = (change: { table?: string; id?: string }) =>
        change.table === 'influencers' && change.id === ids.influencer
      await Promise.all([changesA.seen(influencerChanged, since[0]), changesB.seen(influencerChanged, since[1])])
      for (const server of [a, b]) {
        const body = (await (await fetch(url(server))).json()) as { credentials?: { authToken?: string } }
        expect(body.credentials?.authToken).toBe(next)
      }
      // Ending the session is served as soon as it is applied, too.
      const ended = [changesA.mark(), changesB.mark()] as const
      await endSession(handle.db, ids.live)
      const sessionChanged = (change: { table?: string; id?: string }) =>
        change.table === 'live_stream_sessions' && change.id === ids.live
      await Promise.all([changesA.seen(sessionChanged, ended[0]), changesB.seen(sessionChanged, ended[1])])
      for (const server of [a, b]) expect((await fetch(url(server))).status).toBe(409)
      const restored = [changesA.mark(), changesB.mark()] as const
      await sql`update live_stream_sessions set status = 'live', ended_at = null where id = ${ids.live}`.execute(
        handle.db,
      )
      await Promise.all([changesA.seen(sessionChanged, restored[0]), changesB.seen(sessionChanged, restored[1])])
    })

    it(`shares one database read among a burst for a stream that has just gone live (${name})`, async () => {
      const sessionId = randomUUID()
      const since = changesA.mark()
      await sql`insert into live_stream_sessions (id, influencer_id, title, status) values (${sessionId}, ${ids.influencer}, 'Burst', 'scheduled')`.execute(
        handle.db,
      )
      await sql`update live_stream_sessions set status = 'live', started_at = now() where id = ${sessionId}`.execute(
        handle.db,
      )
      // A notification applied during the burst would drop the shared read: wait for both first.
      await changesA.seen((change) => change.id === sessionId && change.op === 'update', since)
      const before = a.stats().dbQueries
      // The sessions table stays locked until the server has received the whole burst, so that
      // every request finds the first read still running: without single flight each would start one.
      let received = 0
      let allReceived: () => void = () => {}
      const arrived = new Promise<void>((resolve) => (allReceived = resolve))
      const onRequest = () => {
        received += 1
        if (received === 300) allReceived()
      }
      a.server.on('request', onRequest)
      let answers: Promise<number[]> = Promise.resolve([])
      try {
        await other.db.transaction().execute(async (tx) => {
          await sql`lock table live_stream_sessions in access exclusive mode`.execute(tx)
          answers = Promise.all(
            Array.from({ length: 300 }, () =>
              fetch(`${a.url}/api/live-streams/${sessionId}/viewer`).then((res) => res.status),
            ),
          )
          await arrived
        })
      } finally {
        a.server.off('request', onRequest)
      }
      expect(new Set(await answers)).toEqual(new Set([200]))
      expect(a.stats().dbQueries - before).toBe(1)
    })

    it(`rate-limits the credential route per client address with Retry-After (${name})`, async () => {
      const limited = await startServer({ database: handle, port: 0, rateLimitPerMinute: 3, migrate: async () => {} })
      try {
        const statuses: number[] = []
        let retryAfter: string | null = null
        for (let i = 0; i < 5; i += 1) {
          const res = await fetch(`${limited.url}/api/live-streams/${ids.live}/viewer`)
          statuses.push(res.status)
          if (res.status === 429) retryAfter = res.headers.get('retry-after')
        }
        expect(statuses).toEqual([200, 200, 200, 429, 429])
        expect(Number(retryAfter)).toBeGreaterThan(0)
      } finally {
        await limited.close()
      }
    })

    it(`lets in-flight requests finish on close (${name})`, async () => {
      const closing = await startServer({ database: handle, port: 0, rateLimitPerMinute: 0, migrate: async () => {} })
      const sessionIds = Array.from({ length: 20 }, () => randomUUID())
      let received = 0
      let closed: Promise<void> | null = null
      const allReceived = new Promise<void>((resolve) =>
        closing.server.on('request', () => {
          received += 1
          // Close while every request is still being answered (each needs a database read).
          if (received === sessionIds.length) {
            closed = closing.close()
            resolve()
          }
        }),
      )
      const inFlight = sessionIds.map((id) =>
        fetch(`${closing.url}/api/live-streams/${id}/viewer`).then((res) => res.status),
      )
      await allReceived
      await closed
      expect(new Set(await Promise.all(inFlight))).toEqual(new Set([404]))
      await expect(fetch(`${closing.url}/healthz`)).rejects.toThrow()
    })

    /** What the outage test needs: a database that can be taken away and brought back. */
    interface Outage {
      database: ServeDatabaseOptions
      /** Writes credential changes (on the same data, reachable while the server is cut off or not). */
      writer: ServeDatabaseHandle
      sessionId: string
      influencerId: string
      stop(): Promise<void>
      start(): Promise<void>
      close(): Promise<void>
    }

    // Postgres: a server of the test's own, really stopped and started (the shared one is never
    // stopped). PGlite: the embedded server lives in this process, so a proxy in front of its
    // socket cuts it off and lets it back.
    async function outage(): Promise<Outage> {
      if (backend.name === 'postgres') {
        const server = await startPrivatePostgres()
        try {
          const writer = await openDatabase({ databaseUrl: server.url, connectTimeoutMs: 1000 })
          await migrateToLatest(writer.db)
          const influencerId = randomUUID()
          const sessionId = randomUUID()
          await sql`insert into influencers (id, name, handle, hms_viewer_auth_token, hms_viewer_room_code)
            values (${influencerId}, 'Outage', 'outage', ${viewerToken}, 'vie-werr-oom')`.execute(writer.db)
          await sql`insert into live_stream_sessions (id, influencer_id, title, status, started_at)
            values (${sessionId}, ${influencerId}, 'Outage', 'live', now())`.execute(writer.db)
          return {
            database: { databaseUrl: server.url, connectTimeoutMs: 1000 },
            writer,
            sessionId,
            influencerId,
            stop: () => server.stop(),
            start: () => server.start(),
            close: async () => {
              await writer.close()
              await server.close()
            },
          }
        } catch (error) {
          await server.close()
          throw error
        }
      }
      const proxy = await tcpProxy({ path: join(embeddedSocketDirOf(backend.options.dataDir!), '.s.PGSQL.5432') })
      return {
        database: { databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`, connectTimeoutMs: 1000 },
        writer: handle,
        sessionId: ids.live,
        influencerId: ids.influencer,
        stop: () => proxy.cut(),
        start: () => proxy.restore(),
        close: () => proxy.close(),
      }
    }

    it(`answers 503 while the database is stopped and 200 again once it is back (${name})`, async () => {
      const db = await outage()
      const changes = changeLog()
      let onListening: (() => void) | null = null
      const server = await startServer({
        database: db.database,
        openDatabase: openDatabase,
        port: 0,
        rateLimitPerMinute: 0,
        migrate: async () => {},
        onChange: changes.onChange,
        log: (line) => {
          if (line.startsWith('listening for changes')) onListening?.()
        },
      })
      try {
        const url = `${server.url}/api/live-streams/${db.sessionId}/viewer`
        expect((await fetch(url)).status).toBe(200)
        await db.stop()
        // Polled until the outage is seen (the test's timeout bounds it): no clock involved.
        let res = await fetch(url)
        while (res.status !== 503) res = await fetch(url)
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
        expect(await res.json()).toMatchObject({ error: { code: 'service_unavailable' } })
        expect((await fetch(`${server.url}/healthz`)).status).toBe(503)
        expect((await fetch(`${server.url}/api/live-streams`)).status).toBe(503)
        const listening = new Promise<void>((resolve) => (onListening = resolve))
        await db.start()
        let status = (await fetch(url)).status
        while (status !== 200) {
          await new Promise((resolve) => setTimeout(resolve, 50))
          status = (await fetch(url)).status
        }
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
        // Listening again (the cache is bypassed until then): a change is served once applied.
        if (!server.stats().subscribed) await listening
        expect(server.stats().subscribed).toBe(true)
        await fetch(url)
        const roomCode = 'aft-erre-cut'
        const since = changes.mark()
        const row = await getInfluencer(db.writer.db, db.influencerId)
        await updateCredentials(db.writer.db, {
          influencerId: db.influencerId,
          expectedVersion: row!.credentialsVersion,
          changes: { viewerRoomCode: roomCode },
          actor: 'test',
        })
        await changes.seen((change) => change.table === 'influencers' && change.id === db.influencerId, since)
        const body = (await (await fetch(url)).json()) as { credentials?: { roomCode?: string } }
        expect(body.credentials?.roomCode).toBe(roomCode)
      } finally {
        await server.close()
        await db.close()
      }
    })
  })
})

describe('hms-admin serve --demo', () => {
  describe.each(testBackends().map((backend) => [backend.name, backend] as const))('on %s', (name, backend) => {
    let server: RunningServer | null = null
    beforeAll(async () => {
      await backend.setup()
    })
    afterAll(async () => {
      await server?.close()
      await backend.teardown()
    })

    it(`seeds one live influencer per access status on an empty database and serves the demo (${name})`, async () => {
      server = await startServer({
        database: backend.options,
        openDatabase: openDatabase,
        migrate: migrateToLatest,
        port: 0,
        demo: true,
      })
      expect(server.demo?.seeded).toBe(true)
      const list = (await (await fetch(`${server.url}/api/live-streams`)).json()) as {
        streams: { sessionId: string; access: string }[]
      }
      expect(list.streams.map((stream) => stream.access).sort()).toEqual(['limited', 'not_configured', 'ready'])
      const statuses = await Promise.all(
        list.streams.map(async (stream) => [
          stream.access,
          (await fetch(`${server!.url}/api/live-streams/${stream.sessionId}/viewer`)).status,
        ]),
      )
      expect(statuses.sort()).toEqual([
        ['limited', 200],
        ['not_configured', 403],
        ['ready', 200],
      ])
      const ready = list.streams.find((stream) => stream.access === 'ready')!
      const body = (await (await fetch(`${server.url}/api/live-streams/${ready.sessionId}/viewer`)).json()) as {
        credentials: { authToken: string; roomCode: string; expiresAt: string }
      }
      expect(body.credentials.roomCode).toMatch(/^[a-z]{3}-[a-z]{3,4}-[a-z]{3}$/)
      expect(new Date(body.credentials.expiresAt).getTime()).toBeGreaterThan(Date.now() + 7 * 86_400_000)
      const page = await fetch(`${server.url}/watch?session=${ready.sessionId}`)
      expect(await page.text()).toContain('<script type="module" src="/widget/live-stream-viewer.js">')
    }, 60_000)
  })
})
