import { decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { inspectToken } from '@hms-admin/core'
import { cli } from './harness.js'

const SECRET = 'mint-test-secret-0123456789abcdef0123456789'
const KEY = '65f2a1c4e8b9d0f1a2b3c4d5'
const ENV = { HMS_ACCESS_KEY: KEY, HMS_SECRET: SECRET }
const NOW = new Date('2026-03-01T12:00:00Z')
const ROOM = ['--room-id', '5fcb4df6b492419a985ab23a']
// The claim set of a 100ms app auth token (research/100ms-sdk.md §3.1, DESIGN.md §2), no more, no less.
const HMS_APP_CLAIMS = ['access_key', 'exp', 'iat', 'jti', 'nbf', 'role', 'room_id', 'type', 'user_id', 'version']

const verify = (token: string, secret = SECRET) =>
  jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'], currentDate: NOW })

describe('hms-admin token mint', () => {
  it('signs exactly the 100ms claims with HS256 and the app secret, to a pipe', async () => {
    const r = await cli(
      null,
      ['token', 'mint', ...ROOM, '--role', 'viewer', '--user-id', 'guest-1', '--valid-for', '2d'],
      {
        env: ENV,
        now: NOW,
      },
    )
    expect(r.code, r.stderr).toBe(0)
    const token = r.stdout.trim()
    const { payload } = await verify(token)
    expect(Object.keys(payload).sort()).toEqual(HMS_APP_CLAIMS)
    const iat = NOW.getTime() / 1000 - 10
    expect(payload).toMatchObject({
      access_key: KEY,
      type: 'app',
      version: 2,
      room_id: '5fcb4df6b492419a985ab23a',
      role: 'viewer',
      user_id: 'guest-1',
      iat,
      nbf: iat,
      exp: iat + 2 * 86400,
    })
    expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' })
    await expect(verify(token, `${SECRET}x`)).rejects.toThrow(/signature/)
  })

  it('defaults to a random string user id and 30 days; each token has its own jti', async () => {
    const a = await cli(null, ['token', 'mint', ...ROOM, '--role', 'viewer'], { env: ENV, now: NOW })
    const b = await cli(null, ['token', 'mint', ...ROOM, '--role', 'viewer'], { env: ENV, now: NOW })
    const [pa, pb] = [(await verify(a.stdout.trim())).payload, (await verify(b.stdout.trim())).payload]
    expect(typeof pa.user_id).toBe('string')
    expect(pa.user_id).not.toBe(pb.user_id)
    expect(pa.jti).not.toBe(pb.jti)
    expect(pa.exp! - pa.nbf!).toBe(30 * 86400)
    // What set-token will store: no finding at all.
    expect(inspectToken(a.stdout.trim(), 'viewerToken', { now: NOW }).findings).toEqual([])
  })

  it('reads the secret from stdin with --access-key and --secret -', async () => {
    const r = await cli(null, ['token', 'mint', ...ROOM, '--role', 'host', '--access-key', KEY, '--secret', '-'], {
      stdin: `${SECRET}\n`,
      now: NOW,
    })
    expect(r.code, r.stderr).toBe(0)
    expect((await verify(r.stdout.trim())).payload.role).toBe('host')
  })

  it('refuses a secret on argv without echoing it (exit 2)', async () => {
    const r = await cli(null, ['token', 'mint', ...ROOM, '--role', 'viewer', '--access-key', KEY, '--secret', SECRET])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/never accepted on the command line/)
    expect(r.all).not.toContain(SECRET.slice(0, 16))
  })

  it.each([
    ['no access key', { HMS_SECRET: SECRET }, /No 100ms access key/],
    ['no secret', { HMS_ACCESS_KEY: KEY }, /No 100ms app secret/],
  ])('fails with %s (exit 2)', async (_name, env, message) => {
    const r = await cli(null, ['token', 'mint', ...ROOM, '--role', 'viewer'], { env })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })

  it.each([
    ['a role with ~', ['--role', 'ab~']],
    ['a user id with ?', ['--role', 'viewer', '--user-id', 'ab?']],
    ['a non-ASCII user id', ['--role', 'viewer', '--user-id', 'Renée']],
    ['a role with a space', ['--role', 'view er']],
  ])('refuses %s (exit 2)', async (_name, args) => {
    const r = await cli(null, ['token', 'mint', ...ROOM, ...args], { env: ENV, now: NOW })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/may only hold the characters/)
    expect(r.stdout).toBe('')
  })

  it('refuses a token whose payload would trip the SDK decode hazard (exit 2)', async () => {
    // An access key is taken as given; ?, > and ~ in it encode to - or _ in the payload.
    const r = await cli(null, ['token', 'mint', ...ROOM, '--role', 'viewer'], {
      env: { HMS_ACCESS_KEY: 'k>?~k>?~k>?~', HMS_SECRET: SECRET },
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/decode hazard/)
    expect(r.stdout).toBe('')
  })

  it.each(['91d', '0s', 'soon'])('refuses --valid-for %s (exit 2)', async (validFor) => {
    const r = await cli(null, ['token', 'mint', ...ROOM, '--role', 'viewer', '--valid-for', validFor], {
      env: ENV,
      now: NOW,
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--valid-for must be/)
  })

  it('shows only the mask on a terminal, the token with --reveal', async () => {
    const masked = await cli(null, ['token', 'mint', ...ROOM, '--role', 'viewer'], {
      env: ENV,
      now: NOW,
      stdoutTTY: true,
    })
    expect(masked.code).toBe(0)
    expect(masked.stdout).toMatch(/^Minted eyJhbG…\S+ sha256:[0-9a-f]{12} /)
    expect(masked.stdout).not.toMatch(/eyJ[\w-]{16}/)
    expect(masked.stderr).toMatch(/set-token @handle --viewer-token -/)
    const shown = await cli(null, ['token', 'mint', ...ROOM, '--role', 'viewer', '--reveal'], {
      env: ENV,
      now: NOW,
      stdoutTTY: true,
    })
    expect((await verify(shown.stdout.trim())).payload.role).toBe('viewer')
  })

  it('--json has the claims, and the token only off a terminal', async () => {
    const piped = JSON.parse(
      (await cli(null, ['--json', 'token', 'mint', ...ROOM, '--role', 'viewer'], { env: ENV, now: NOW })).stdout,
    )
    expect((await verify(piped.token)).payload.jti).toBe(piped.claims.jti)
    const tty = await cli(null, ['--json', 'token', 'mint', ...ROOM, '--role', 'viewer'], {
      env: ENV,
      now: NOW,
      stdoutTTY: true,
    })
    const shown = JSON.parse(tty.stdout)
    expect(shown.token).toBeUndefined()
    expect(shown.claims.role).toBe('viewer')
    expect(tty.stdout).not.toMatch(/eyJ[\w-]{16}/)
  })
})
