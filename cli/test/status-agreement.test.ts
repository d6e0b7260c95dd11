import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CREDENTIAL_FIELDS, type CredentialField, type Credentials } from '@hms-admin/core'
import type { DatabaseHandle } from '@hms-admin/database'
import { startServer } from '@hms-admin/server'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { mintBroadcasterToken, mintToken, payloadHasDecodeHazard } from '../../test-support/tokens.js'
import { cli } from './harness.js'

// One truth about a stream: every combination of the four slots (valid, with an error, absent, or
// valid but also stored for another influencer), with the broadcaster fallback off and on, through
// list --json, show --json, audit --format json, GET /api/live-streams and the viewer route.

const STATES = ['valid', 'error', 'absent', 'shared'] as const
type SlotState = (typeof STATES)[number]
type Combination = Record<CredentialField, SlotState>

interface Receives {
  source: string | null
  values: string[]
  error: string | null
}

/** Every combination of the four slots' states: 4^4. */
const COMBINATIONS: Combination[] = Array.from({ length: STATES.length ** 4 }, (_, index) => {
  const combination = {} as Combination
  CREDENTIAL_FIELDS.forEach((field, position) => {
    combination[field] = STATES[Math.floor(index / STATES.length ** position) % STATES.length]!
  })
  return combination
})

async function mintClean(mint: () => Promise<string>): Promise<string> {
  for (;;) {
    const token = await mint()
    if (!payloadHasDecodeHazard(token)) return token
  }
}

const letters = (i: number) => String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26))
const EXPIRED = { exp: Math.floor(Date.now() / 1000) - 3600 }

/** A value of the slot in that state, unique to influencer `i` (absent is null). */
async function slotValue(field: CredentialField, state: SlotState, i: number): Promise<string | null> {
  if (state === 'absent') return null
  const valid = state !== 'error'
  switch (field) {
    case 'broadcasterToken':
      return mintClean(() => mintBroadcasterToken({ user_id: `b${i}`, ...(valid ? {} : EXPIRED) }))
    case 'viewerToken':
      return mintClean(() => mintToken({ user_id: `v${i}`, ...(valid ? {} : EXPIRED) }))
    case 'broadcasterRoomCode':
      return valid ? `b${letters(i)}-brod-rmx` : `bad broadcaster code ${i}`
    case 'viewerRoomCode':
      return valid ? `v${letters(i)}-view-rmx` : `bad viewer code ${i}`
  }
}

/** What the rules say, written out independently: only a valid, unshared value is usable. */
function expected(combination: Combination, fallback: boolean): { status: string; receives: Receives } {
  const usable = (field: CredentialField) => combination[field] === 'valid'
  const pick = (source: 'viewer' | 'broadcaster', token: CredentialField, code: CredentialField): Receives | null => {
    const values = [...(usable(token) ? [`${source} token`] : []), ...(usable(code) ? [`${source} room code`] : [])]
    return values.length === 0 ? null : { source, values, error: null }
  }
  const viewer = pick('viewer', 'viewerToken', 'viewerRoomCode')
  const broadcaster = fallback ? pick('broadcaster', 'broadcasterToken', 'broadcasterRoomCode') : null
  const receives = viewer ??
    broadcaster ?? {
      source: null,
      values: [],
      error: (fallback ? CREDENTIAL_FIELDS : (['viewerToken', 'viewerRoomCode'] as const)).some(
        (field) => combination[field] !== 'absent',
      )
        ? 'viewer_token_invalid'
        : 'viewer_access_not_configured',
    }
  const status =
    usable('viewerToken') && usable('viewerRoomCode') ? 'ready' : receives.error ? 'not_configured' : 'limited'
  return { status, receives }
}

/** What the viewer route's answer hands out, in the CLI's words, checked against the stored values. */
function receivedFrom(status: number, body: Record<string, any>, credentials: Credentials): Receives {
  if (status !== 200) return { source: null, values: [], error: body.error.code }
  const { source, authToken, roomCode } = body.credentials as { source: string; authToken?: string; roomCode?: string }
  const prefix = source === 'viewer' ? 'viewer' : 'broadcaster'
  if (authToken !== undefined) expect(authToken).toBe(credentials[`${prefix}Token`])
  if (roomCode !== undefined) expect(roomCode).toBe(credentials[`${prefix}RoomCode`])
  const values = [...(authToken ? [`${source} token`] : []), ...(roomCode ? [`${source} room code`] : [])]
  return { source, values, error: null }
}

describe.each(testBackends().map((backend) => [backend.name, backend] as const))(
  'status agreement on %s',
  (name, backend) => {
    let db: Awaited<ReturnType<typeof backend.setup>>
    let handle: DatabaseHandle
    const stored: {
      id: string
      handle: string
      sessionId: string
      combination: Combination
      credentials: Credentials
    }[] = []

    beforeAll(async () => {
      db = await backend.setup()
      handle = await openMigrated(db)
      const rows: Record<string, unknown>[] = []
      const sessions: Record<string, unknown>[] = []
      for (const [i, combination] of COMBINATIONS.entries()) {
        const credentials = {} as Credentials
        for (const field of CREDENTIAL_FIELDS) credentials[field] = await slotValue(field, combination[field], i)
        const id = randomUUID()
        const sessionId = randomUUID()
        stored.push({ id, handle: `m${i}`, sessionId, combination, credentials })
        const row = (rowId: string, rowHandle: string, values: Partial<Credentials>) => ({
          id: rowId,
          handle: rowHandle,
          name: `Matrix ${rowHandle}`,
          hms_auth_token: values.broadcasterToken ?? null,
          room_code: values.broadcasterRoomCode ?? null,
          hms_viewer_auth_token: values.viewerToken ?? null,
          hms_viewer_room_code: values.viewerRoomCode ?? null,
          hms_credentials_version: 0,
        })
        rows.push(row(id, `m${i}`, credentials))
        // The other influencer holding the shared values (each in the same slot), without a stream.
        const twin = Object.fromEntries(
          CREDENTIAL_FIELDS.filter((field) => combination[field] === 'shared').map((field) => [
            field,
            credentials[field],
          ]),
        )
        if (Object.keys(twin).length > 0) rows.push(row(randomUUID(), `t${i}`, twin))
        sessions.push({
          id: sessionId,
          influencer_id: id,
          title: `Stream ${i}`,
          status: 'live',
          started_at: new Date(),
        })
      }
      await handle.db
        .insertInto('influencers')
        .values(rows as never)
        .execute()
      await handle.db
        .insertInto('live_stream_sessions')
        .values(sessions as never)
        .execute()
    }, 240_000)

    afterAll(async () => {
      await handle?.close()
      await backend.teardown()
    })

    it.each([
      ['off', false],
      ['on', true],
    ] as const)(
      `agrees everywhere with the fallback %s (${name})`,
      async (_label, fallback) => {
        const env: Record<string, string> = fallback ? { HMS_ALLOW_BROADCASTER_FALLBACK: '1' } : {}
        type Shown = { handle: string; status: string; viewerReceives: Receives }
        const byHandle = (items: Shown[]) => new Map(items.map((item) => [item.handle, item]))
        const listed = byHandle(JSON.parse((await cli(db, ['--json', 'list'], { env })).stdout).influencers)
        const audit = await cli(db, ['audit', '--format', 'json', '--fail-on', 'never'], { env })
        const audited = byHandle(JSON.parse(audit.stdout).influencers)
        const shown = new Map<string, Shown>()
        // A few at a time on a server, each with its own connection. On an embedded database every
        // run starts a client of the owner one at a time (seconds each on a busy machine): there,
        // show covers one combination in 16 (all 256 on the server), list and audit cover all.
        const queue = stored.filter((_, i) => name === 'postgres' || i % 16 === 5).map(({ handle: h }) => h)
        await Promise.all(
          Array.from({ length: name === 'postgres' ? 8 : 1 }, async () => {
            for (let h = queue.shift(); h !== undefined; h = queue.shift())
              shown.set(h, JSON.parse((await cli(db, ['--json', 'show', h], { env })).stdout) as Shown)
          }),
        )
        // The endpoint starts once the CLI runs are over: an in-process CLI run disturbs an embedded
        // owner's other connections (reported to the embedded owner's work), which is not at stake here.
        const server = await startServer({
          database: handle,
          port: 0,
          rateLimitPerMinute: 0,
          allowBroadcasterFallback: fallback,
          migrate: async () => {},
        })
        try {
          const streams = (await (await fetch(`${server.url}/api/live-streams`)).json()) as {
            streams: { sessionId: string; access: string }[]
          }
          const access = new Map(streams.streams.map((stream) => [stream.sessionId, stream.access]))
          let compared = 0
          for (const { handle: h, sessionId, combination, credentials } of stored) {
            const shownHere = shown.get(h)
            const res = await fetch(`${server.url}/api/live-streams/${sessionId}/viewer`)
            const body = (await res.json()) as Record<string, any>
            const want = expected(combination, fallback)
            const of = (item: Shown | undefined) => ({ status: item?.status, receives: item?.viewerReceives })
            const seen = {
              list: of(listed.get(h)),
              ...(shownHere && { show: of(shownHere) }),
              audit: of(audited.get(h)),
              liveStreams: { status: access.get(sessionId) },
              // A 403 carries no access field: its error code says what viewers (do not) receive.
              viewerRoute: {
                status: res.status === 200 ? body.access : 'not_configured',
                receives: receivedFrom(res.status, body, credentials),
              },
            }
            expect({ combination, ...seen }).toEqual({
              combination,
              list: want,
              ...(shownHere && { show: want }),
              audit: want,
              liveStreams: { status: want.status },
              viewerRoute: want,
            })
            compared += 1
          }
          expect(compared).toBe(COMBINATIONS.length)
          expect(shown.size).toBe(name === 'postgres' ? COMBINATIONS.length : COMBINATIONS.length / 16)
        } finally {
          await server.close()
        }
      },
      600_000,
    )
  },
)
