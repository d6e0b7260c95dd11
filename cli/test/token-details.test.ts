/**
 * Token details are not secret (DESIGN.md section 2): for a JWT slot, `show` (text and --json),
 * the interactive `set-token` summary and the audit JSON show role, room_id, user_id, type, iat,
 * nbf and exp, and never a 16-character slice of the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { mintToken } from '../../test-support/tokens.js'
import { cli } from './harness.js'

const backend = testBackends().at(-1)!
const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

/** Fails when any 16-character slice of `secret` appears in `text`. */
function expectNoSlice(text: string, secret: string) {
  for (let i = 0; i + 16 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 16))
}

describe(`token details (${backend.name})`, () => {
  let db: Awaited<ReturnType<typeof backend.setup>>
  const now = Math.floor(Date.now() / 1000)
  const claims = {
    role: 'viewer-realtime',
    room_id: 'room-details-0001',
    user_id: 'user-details-42',
    iat: now - 120,
    nbf: now - 60,
    exp: now + 30 * 86_400,
  }
  const expected = {
    role: claims.role,
    room_id: claims.room_id,
    user_id: claims.user_id,
    type: 'app',
    iat: iso(claims.iat),
    nbf: iso(claims.nbf),
    exp: iso(claims.exp),
  }
  let token: string

  beforeAll(async () => {
    db = await backend.setup()
    await (await openMigrated(db)).close()
    token = await mintToken(claims)
    expect((await cli(db, ['influencer', 'add', 'dana', '--name', 'Dana'])).code).toBe(0)
    const set = await cli(db, ['set-token', 'dana', '--viewer-token', '-', '--viewer-room-code', 'vwr-abcd-xyz'], {
      stdin: token,
    })
    expect(set.code, set.stderr).toBe(0)
  }, 120_000)

  afterAll(() => backend.teardown())

  it('show --json has the claims of the JWT slot, times as ISO strings', async () => {
    const r = await cli(db, ['--json', 'show', 'dana'])
    expect(r.code, r.stderr).toBe(0)
    const slots = JSON.parse(r.stdout).slots as { field: string; claims: unknown }[]
    expect(slots.find((s) => s.field === 'viewerToken')!.claims).toEqual(expected)
    expect(slots.find((s) => s.field === 'viewerRoomCode')!.claims).toBeNull()
    expect(slots.find((s) => s.field === 'broadcasterToken')!.claims).toBeNull()
    expectNoSlice(r.all, token)
  })

  it('show prints the claims as text', async () => {
    const r = await cli(db, ['show', 'dana'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(
      `role ${claims.role}, room ${claims.room_id}, user ${claims.user_id}, type app, issued ${expected.iat}, not before ${expected.nbf}, expires ${expected.exp}`,
    )
    expectNoSlice(r.all, token)
    expect(r.all).not.toContain('vwr-abcd-xyz')
  })

  it('the audit JSON carries the claims of each slot', async () => {
    const r = await cli(db, ['audit', '--format', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const dana = JSON.parse(r.stdout).influencers.find((i: { handle: string }) => i.handle === 'dana')
    expect(dana.slots.find((s: { field: string }) => s.field === 'viewerToken').claims).toEqual(expected)
    expectNoSlice(r.all, token)
  })

  it('the interactive set-token summary shows the claims of the new token', async () => {
    const other = await mintToken({ ...claims, user_id: 'user-details-43' })
    const id = JSON.parse((await cli(db, ['--json', 'show', 'dana'])).stdout).id
    const r = await cli(db, ['set-token'], { tty: true, answers: [id, '', '', other, '', true] })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(`role ${claims.role}, room ${claims.room_id}, user user-details-43, type app`)
    expectNoSlice(r.all, other)
  })
})
