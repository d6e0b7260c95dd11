import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
// Every answer is checked against the endpoint's OpenAPI document.
import { checkedFetch as fetch } from '../../test-support/openapi-fetch.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintBroadcasterToken, mintToken } from '../../test-support/tokens.js'
import { createRequestHandler, type ViewerRequestHandler } from './create-request-handler.js'
import { openApiDocument } from './openapi-document.js'
import type { Credentials } from '@hms-admin/core'
import type { SessionWithInfluencer } from '@hms-admin/database'
import type { ServeStore } from './serve-store.js'
import { findSharedSecrets } from '@hms-admin/core'

// Handler-level tests on an in-memory store: routing, validation, headers, CORS and limits.
// The same behaviour against the real databases is in serve.test.ts.

function memoryStore(sessions: SessionWithInfluencer[]): ServeStore & { reads: number; notify(payload: string): void } {
  let listener: ((payload: string) => void) | null = null
  // The cross-influencer facts, as the database store computes them in SQL.
  const shared = findSharedSecrets(
    sessions.map(({ influencer }) => ({ influencerId: influencer.id, credentials: influencer.credentials })),
  )
  const records = sessions.map((record) => ({ ...record, sharedSecrets: shared.get(record.influencer.id) ?? [] }))
  const store = {
    reads: 0,
    async getStream(id: string) {
      store.reads += 1
      await new Promise((resolve) => setTimeout(resolve, 20))
      return records.find((record) => record.session.id === id) ?? null
    },
    async listLiveStreams() {
      store.reads += 1
      return records.filter((record) => record.session.status === 'live')
    },
    async ping() {},
    async subscribe(onChange: (payload: string) => void, onSubscribed: (value: boolean) => void) {
      listener = onChange
      onSubscribed(true)
      return async () => {
        listener = null
      }
    },
    notify(payload: string) {
      listener?.(payload)
    },
  }
  return store
}

async function listen(handler: ViewerRequestHandler): Promise<{ server: Server; base: string }> {
  const server = createServer(handler.handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe('the request handler on an in-memory store', () => {
  const liveId = randomUUID()
  const endedId = randomUUID()
  let viewerToken: string
  let broadcasterToken: string
  let store: ReturnType<typeof memoryStore>
  let handler: ViewerRequestHandler
  let base: string
  let server: Server

  beforeAll(async () => {
    viewerToken = await mintToken()
    broadcasterToken = await mintBroadcasterToken({ room_id: 'aaaaaaaaaaaaaaaaaaaaaaaa' })
    const influencerId = randomUUID()
    const record = (id: string, status: 'live' | 'ended', credentials: Credentials): SessionWithInfluencer => ({
      session: { id, influencerId, title: status, status, startedAt: new Date(), endedAt: null },
      influencer: {
        id: influencerId,
        name: 'Ada',
        handle: 'ada',
        credentials,
        credentialsVersion: 1,
        credentialsUpdatedAt: null,
      },
    })
    store = memoryStore([
      record(liveId, 'live', {
        broadcasterToken,
        broadcasterRoomCode: 'abc-defg-hij',
        viewerToken,
        viewerRoomCode: 'xyz-wxyz-abc',
      }),
      record(endedId, 'ended', { broadcasterToken, broadcasterRoomCode: null, viewerToken, viewerRoomCode: null }),
    ])
    handler = createRequestHandler({ store, allowOrigins: ['https://site.example'], rateLimitPerMinute: 0, demo: true })
    await handler.ready
    ;({ server, base } = await listen(handler))
  })
  afterAll(async () => {
    await handler.close()
    await new Promise((resolve) => server.close(resolve))
  })

  it('answers viewer credentials with no-store and the expiry', async () => {
    const res = await fetch(`${base}/api/live-streams/${liveId}/viewer`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const body = (await res.json()) as { credentials: Record<string, string>; access: string }
    expect(body.credentials).toMatchObject({ authToken: viewerToken, roomCode: 'xyz-wxyz-abc', source: 'viewer' })
    expect(typeof body.credentials.expiresAt).toBe('string')
    expect(JSON.stringify(body)).not.toContain(broadcasterToken)
  })

  it('shares one read among concurrent requests and serves the rest from memory', async () => {
    const id = randomUUID()
    const before = store.reads
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(`${base}/api/live-streams/${id}/viewer`)))
    expect(answers.map((res) => res.status)).toEqual([404, 404, 404, 404, 404])
    expect(store.reads - before).toBe(1)
  })

  it('answers 409 for an ended session and 400 for a malformed id', async () => {
    expect((await fetch(`${base}/api/live-streams/${endedId}/viewer`)).status).toBe(409)
    const res = await fetch(`${base}/api/live-streams/not-a-uuid/viewer`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } })
  })

  it('answers CORS only for allowed origins and answers preflights', async () => {
    const allowed = await fetch(`${base}/api/live-streams`, { headers: { origin: 'https://site.example' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://site.example')
    expect(allowed.headers.get('vary')).toContain('Origin')
    const refused = await fetch(`${base}/api/live-streams`, { headers: { origin: 'https://evil.example' } })
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${base}/api/live-streams/${liveId}/viewer`, {
      method: 'OPTIONS',
      headers: { origin: 'https://site.example', 'access-control-request-method': 'GET' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET')
  })

  it('answers 405 for other methods and 404 for unknown routes', async () => {
    const post = await fetch(`${base}/api/live-streams`, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toContain('GET')
    expect((await fetch(`${base}/nope`)).status).toBe(404)
  })

  it('serves the demo pages with a CSP that allows the 100ms SDK', async () => {
    const res = await fetch(`${base}/watch?session=${liveId}`)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain('worker-src')
    expect(csp).toContain('blob:')
    expect(csp).toContain('100ms.live')
    expect(await res.text()).toContain(`session-id="${liveId}"`)
    expect((await fetch(`${base}/watch?session=%3Cscript%3E`)).status).toBe(400)
  })

  it('serves the OpenAPI document it answers by, and HEAD without a body', async () => {
    const res = await fetch(`${base}/openapi.json`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(openApiDocument())
    const head = await fetch(`${base}/api/live-streams`, { method: 'HEAD' })
    expect([head.status, await head.text()]).toEqual([200, ''])
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0)
    expect((await fetch(`${base}/openapi.json`, { method: 'DELETE' })).status).toBe(405)
  })

  it('invalidates a cached stream on a change notification', async () => {
    await fetch(`${base}/api/live-streams/${liveId}/viewer`)
    const before = store.reads
    await fetch(`${base}/api/live-streams/${liveId}/viewer`)
    expect(store.reads).toBe(before)
    store.notify(JSON.stringify({ table: 'live_stream_sessions', op: 'UPDATE', id: liveId }))
    await fetch(`${base}/api/live-streams/${liveId}/viewer`)
    expect(store.reads).toBe(before + 1)
  })

  it('rate-limits the credential route with Retry-After', async () => {
    const limitedHandler = createRequestHandler({ store, rateLimitPerMinute: 5 })
    const { server: limitedServer, base: limitedBase } = await listen(limitedHandler)
    let limited: Response | null = null
    for (let i = 0; i < 10 && limited === null; i += 1) {
      const res = await fetch(`${limitedBase}/api/live-streams/${liveId}/viewer`)
      if (res.status === 429) limited = res
    }
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await limited?.json()).toMatchObject({ error: { code: 'rate_limited' } })
    await limitedHandler.close()
    await new Promise((resolve) => limitedServer.close(resolve))
  })
})
