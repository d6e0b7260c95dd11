/**
 * Every finding code of DESIGN.md §2 through the CLI, end to end on both backends: set-token refuses
 * each error (exit 2, code named, nothing written) and stores a value with only warnings (exit 0,
 * warning shown); show and audit report the rules that need stored state (a live session, the
 * fallback policy, a secret held by two influencers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import {
  malformedToken,
  mintBroadcasterToken,
  mintDecodeHazardToken,
  mintManagementToken,
  mintToken,
} from '../../test-support/tokens.js'
import { cli } from './harness.js'

type Flag = '--viewer-token' | '--viewer-room-code' | '--broadcaster-token' | '--broadcaster-room-code'
/** Prepares influencer `handle` (e.g. stores a broadcaster credential) and returns the value to set. */
type Case = [code: string, flag: Flag, prepare: (handle: string) => Promise<string>]

const now = () => Math.floor(Date.now() / 1000)

for (const backend of testBackends()) {
  describe(`every finding code through the CLI (${backend.name})`, () => {
    let db: Awaited<ReturnType<typeof backend.setup>>
    let n = 0
    beforeAll(async () => {
      db = await backend.setup()
      await (await openMigrated(db)).close()
    }, 60_000)
    afterAll(() => backend.teardown())

    const fresh = async (): Promise<string> => {
      const handle = `inf${++n}`
      expect((await cli(db, ['influencer', 'add', handle, '--name', `Influencer ${n}`])).code).toBe(0)
      return handle
    }
    const set = async (handle: string, flag: Flag, value: string, ...extra: string[]) =>
      cli(db, ['set-token', handle, flag, '-', ...extra], { stdin: value })
    const events = async (handle: string): Promise<number> =>
      JSON.parse((await cli(db, ['--json', 'history', handle])).stdout).events.length
    const show = async (handle: string, ...extra: string[]) =>
      JSON.parse((await cli(db, ['--json', 'show', handle, ...extra])).stdout) as {
        findings: { code: string; severity: string; field: string | null }[]
      }

    const errors: Case[] = [
      ['token.unrecognized', '--viewer-token', async () => 'not-a-100ms-token'],
      ['token.malformed', '--viewer-token', async () => malformedToken('payload_not_json')],
      ['token.missing_claim', '--viewer-token', () => mintToken({ role: undefined })],
      ['token.user_id_not_string', '--viewer-token', () => mintToken({ user_id: 42 })],
      ['token.not_app_token', '--viewer-token', () => mintManagementToken()],
      ['token.expired', '--viewer-token', () => mintToken({ exp: now() - 60 })],
      ['token.sdk_decode_hazard', '--viewer-token', () => mintDecodeHazardToken()],
      ['room_code.malformed', '--viewer-room-code', async () => 'Not A Room Code'],
      [
        'viewer.same_as_broadcaster',
        '--viewer-room-code',
        async (h) => {
          expect((await set(h, '--broadcaster-room-code', 'bcs-same-abc')).code).toBe(0)
          return 'bcs-same-abc'
        },
      ],
      [
        'viewer.role_is_broadcaster',
        '--viewer-token',
        async (h) => {
          expect((await set(h, '--broadcaster-token', await mintBroadcasterToken())).code).toBe(0)
          return mintToken({ role: 'broadcaster' })
        },
      ],
      [
        'token.shared',
        '--viewer-token',
        async () => {
          const other = await fresh()
          const token = await mintToken({ exp: now() + 30 * 86400 })
          expect((await set(other, '--viewer-token', token)).code).toBe(0)
          return token
        },
      ],
    ]

    it.each(errors)('refuses a value with %s: exit 2, the code named, nothing written', async (code, flag, prepare) => {
      const handle = await fresh()
      const value = await prepare(handle)
      const before = await events(handle)
      const r = await set(handle, flag, value)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(new RegExp(`error\\s+${code.replace('.', '\\.')} \\[`))
      expect(r.stderr).toMatch(/^Error: Refused: .*nothing was written\.\nHint: .*--force/m)
      expect(r.stdout).toBe('')
      expect(await events(handle)).toBe(before)
    })

    const warnings: Case[] = [
      ['token.not_yet_valid', '--viewer-token', () => mintToken({ nbf: now() + 3600, exp: now() + 30 * 86400 })],
      ['token.expiring', '--viewer-token', () => mintToken({ exp: now() + 2 * 86400 })],
      [
        'viewer.room_mismatch',
        '--viewer-token',
        async (h) => {
          expect(
            (await set(h, '--broadcaster-token', await mintBroadcasterToken({ exp: now() + 30 * 86400 }))).code,
          ).toBe(0)
          return mintToken({ room_id: 'another-room-0123456789', exp: now() + 30 * 86400 })
        },
      ],
    ]

    it.each(warnings)('stores a value with only %s and shows the warning', async (code, flag, prepare) => {
      const handle = await fresh()
      const value = await prepare(handle)
      const before = await events(handle)
      const r = await set(handle, flag, value)
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(new RegExp(`warning ${code.replace('.', '\\.')} \\[`))
      expect(r.stdout).toMatch(/^Updated /)
      expect(await events(handle)).toBe(before + 1)
      expect((await show(handle)).findings).toContainEqual(expect.objectContaining({ code, severity: 'warning' }))
    })

    it('reports viewer.missing as a warning, and as an error (audit exit 1) once the influencer is live', async () => {
      const handle = await fresh()
      expect(
        (await set(handle, '--broadcaster-token', await mintBroadcasterToken({ exp: now() + 30 * 86400 }))).code,
      ).toBe(0)
      expect((await show(handle)).findings).toContainEqual(
        expect.objectContaining({ code: 'viewer.missing', severity: 'warning' }),
      )
      const quiet = await cli(db, ['audit', '--format', 'json'])
      expect(
        JSON.parse(quiet.stdout).influencers.find((i: { handle: string }) => i.handle === handle).findings,
      ).toContainEqual(expect.objectContaining({ code: 'viewer.missing', severity: 'warning' }))
      expect(quiet.code).toBe(0)

      const session = JSON.parse((await cli(db, ['--json', 'session', 'start', handle])).stdout)
      expect((await show(handle)).findings).toContainEqual(
        expect.objectContaining({ code: 'viewer.missing', severity: 'error' }),
      )
      const loud = await cli(db, ['audit', '--format', 'json'])
      expect(loud.code).toBe(1)
      expect(
        JSON.parse(loud.stdout).influencers.find((i: { handle: string }) => i.handle === handle).findings,
      ).toContainEqual(expect.objectContaining({ code: 'viewer.missing', severity: 'error' }))
      expect((await cli(db, ['session', 'end', session.id])).code).toBe(0)
      expect((await cli(db, ['audit', '--format', 'json'])).code).toBe(0)
    })

    it('reports fallback.exposes_broadcaster only when the fallback is switched on', async () => {
      const handle = await fresh()
      expect((await set(handle, '--broadcaster-room-code', 'fbk-room-abc')).code).toBe(0)
      expect((await show(handle)).findings.map((f) => f.code)).not.toContain('fallback.exposes_broadcaster')
      expect((await show(handle, '--allow-broadcaster-fallback')).findings).toContainEqual(
        expect.objectContaining({ code: 'fallback.exposes_broadcaster', severity: 'error' }),
      )
      const viaEnv = await cli(db, ['audit', '--format', 'json'], { env: { HMS_ALLOW_BROADCASTER_FALLBACK: '1' } })
      expect(viaEnv.code).toBe(1)
      expect(
        JSON.parse(viaEnv.stdout)
          .influencers.find((i: { handle: string }) => i.handle === handle)
          .findings.map((f: { code: string }) => f.code),
      ).toContain('fallback.exposes_broadcaster')
      expect((await cli(db, ['audit', '--format', 'json'])).code).toBe(0)
    })

    it('reports token.shared for both influencers when a secret was stored twice with --force', async () => {
      const [a, b] = [await fresh(), await fresh()]
      expect((await set(a, '--viewer-room-code', 'shr-code-abc')).code).toBe(0)
      const forced = await set(b, '--viewer-room-code', 'shr-code-abc', '--force')
      expect(forced.code).toBe(0)
      expect(forced.stderr).toMatch(/error\s+token\.shared \[viewerRoomCode\]/)
      for (const h of [a, b])
        expect((await show(h)).findings).toContainEqual(
          expect.objectContaining({ code: 'token.shared', severity: 'error', field: 'viewerRoomCode' }),
        )
      const audit = await cli(db, ['audit', '--format', 'json'])
      expect(audit.code).toBe(1)
      const shared = JSON.parse(audit.stdout).influencers.filter((i: { findings: { code: string }[] }) =>
        i.findings.some((f) => f.code === 'token.shared'),
      )
      expect(shared.map((i: { handle: string }) => i.handle).sort()).toEqual([a, b].sort())
      // Cleared again so later tests in this database start without stored errors.
      expect((await cli(db, ['clear-token', b, '--viewer'])).code).toBe(0)
    })
  })
}
