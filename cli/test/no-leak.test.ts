import { randomInt } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprintSecret, maskSecret } from '@hms-admin/core'
import { testBackends, openMigrated } from '../../test-support/backends.js'
import { malformedToken, mintBroadcasterToken, mintToken, TEST_ACCESS_KEY } from '../../test-support/tokens.js'
import type { DatabaseOptions } from '@hms-admin/database'
import { cli, type CliRunOptions } from './harness.js'

const FORMATS = ['text', 'json', 'junit', 'sarif', 'github']
const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + randomInt(26))).join('')
const roomCode = () => `${letters(3)}-${letters(4)}-${letters(3)}`

async function idOf(db: DatabaseOptions, handle: string): Promise<string> {
  const h = await openMigrated(db)
  try {
    return (await h.db.selectFrom('influencers').select('id').where('handle', '=', handle).executeTakeFirstOrThrow()).id
  } finally {
    await h.close()
  }
}

for (const backend of testBackends()) {
  describe(`hms-admin never prints a stored secret (${backend.name})`, () => {
    let db: DatabaseOptions
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-leak-'))
    beforeAll(async () => {
      db = await backend.setup()
    }, 60_000)
    afterAll(async () => {
      await backend.teardown()
      rmSync(dir, { recursive: true, force: true })
    })

    it.each([
      ['text', [] as string[]],
      ['json', ['--json']],
    ])(
      'in any command, in %s mode, nor in any report file',
      async (modeName, mode) => {
        const now = Math.floor(Date.now() / 1000)
        const s = {
          viewerToken: await mintToken({ exp: now + 30 * 86400 }),
          broadcasterToken: await mintBroadcasterToken({ exp: now + 20 * 86400 }),
          expiredToken: await mintToken({ exp: now - 60 }),
          malformedLiteral: `${malformedToken('four_parts')}${letters(8)}`,
          hmsToken: `HMS_${letters(40)}`,
          viewerRoomCode: roomCode(),
          broadcasterRoomCode: roomCode(),
          twinRoomCode: roomCode(),
          importedToken: await mintToken({ exp: now + 40 * 86400, user_id: `imp-${letters(6)}` }),
          appSecret: `app-secret-${letters(32)}`,
        }
        const app = { HMS_ACCESS_KEY: TEST_ACCESS_KEY, HMS_SECRET: s.appSecret }
        const leak = `leak-${modeName}`
        const twin = `twin-${modeName}`
        let everything = ''
        const run = async (expected: number, argv: string[], o: CliRunOptions = {}) => {
          const r = await cli(db, [...mode, ...argv], o)
          everything += r.all
          expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(expected)
          return r
        }

        await run(0, ['migrate'])
        await run(0, ['migrate', '--status'])
        await run(0, ['influencer', 'add', leak, '--name', `Leak ${modeName}`])
        await run(0, ['influencer', 'add', twin, '--name', `Twin ${modeName}`])
        await run(0, ['influencer', 'list'])
        await run(0, ['set-token', leak, '--viewer-token', '-'], { stdin: `${s.viewerToken}\n` })
        await run(0, ['set-token', leak, '--viewer-room-code', s.viewerRoomCode])
        await run(0, ['set-token', leak, '--broadcaster-token', '-', '--dry-run'], { stdin: s.broadcasterToken })
        await run(0, ['set-token', leak, '--broadcaster-token', '-'], { stdin: s.broadcasterToken })
        await run(0, ['set-token', leak, '--broadcaster-room-code', '-'], { stdin: s.broadcasterRoomCode })
        await run(2, ['set-token', leak, '--viewer-token', '-'], { stdin: s.expiredToken })
        await run(2, ['set-token', leak, '--viewer-token', s.malformedLiteral])
        await run(2, ['set-token', leak, '--viewer-token', '-', '--viewer-room-code', '-'], { stdin: s.hmsToken })
        await run(0, ['set-token', twin, '--viewer-token', '-', '--dry-run', '--force'], { stdin: s.expiredToken })
        await run(0, ['set-token', twin, '--viewer-token', '-', '--force'], { stdin: s.expiredToken })
        await run(0, ['set-token', twin, '--broadcaster-token', '-', '--force'], { stdin: s.broadcasterToken }) // shared with leak
        await run(0, ['set-token', twin, '--broadcaster-room-code', s.hmsToken, '--force'])
        // Interactive (masked prompts) is for people at a terminal, not --json.
        await run(mode.length ? 2 : 0, ['set-token'], {
          tty: true,
          answers: [await idOf(db, twin), '', '', '', s.twinRoomCode, true],
        })
        if (mode.length) await run(0, ['set-token', twin, '--viewer-room-code', '-'], { stdin: s.twinRoomCode })
        await run(0, ['show', leak])
        await run(0, ['show', twin])
        await run(0, ['list'])
        for (const format of FORMATS) {
          await run(0, ['audit', '--format', format, '--fail-on', 'never'])
          await run(1, ['audit', '--format', format, '--output', path.join(dir, `${modeName}.${format}`)])
        }
        await run(0, ['history'])
        await run(0, ['history', leak, '--limit', '5'])
        // Issue 11's commands: the minted token only to a pipe (here a terminal: its mask), never the app secret.
        await run(0, ['token', 'mint', '--room-id', 'room-1', '--role', 'viewer'], { env: app, stdoutTTY: true })
        await run(2, ['token', 'mint', '--room-id', 'room-1', '--role', 'viewer', '--secret', s.appSecret])
        const rows = (token: string) =>
          `influencer,field,value\n${twin},viewer_token,${token}\n${leak},viewer_room_code,${s.viewerRoomCode}\n`
        await run(0, ['import', '--file', '-', '--dry-run'], { stdin: rows(s.importedToken) })
        await run(2, ['import', '--file', '-'], { stdin: rows(s.malformedLiteral) })
        await run(2, ['import', '--file', '-'], { stdin: rows(s.viewerToken) }) // shared with leak
        await run(0, ['import', '--file', '-', '--force'], {
          stdin: `influencer,viewer_token\n${twin},${s.importedToken}\n`,
        })
        await run(0, ['export'])
        await run(0, ['export', '--format', 'json'])
        await run(1, ['rotate', '--slot', 'all', '--expiring-within', '60d', '--dry-run'], { env: app })
        await run(1, ['rotate', '--slot', 'all', '--expiring-within', '60d'], { env: app })
        await run(0, ['export'])
        const started = await run(0, ['session', 'start', leak, '--title', 'Launch'])
        const sessionId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(started.stdout)![0]
        await run(0, ['session', 'list'])
        await run(0, ['session', 'end', sessionId])
        await run(0, ['clear-token', twin, '--viewer'])
        await run(0, ['clear-token', leak, '--all'])
        await run(0, ['show', leak])
        await run(0, ['history'])
        const files = readdirSync(dir).filter((f) => f.startsWith(`${modeName}.`))
        expect(files).toHaveLength(FORMATS.length)
        for (const f of files) everything += readFileSync(path.join(dir, f), 'utf8')

        // The output is about these secrets: masks and fingerprints are there, the values never are.
        expect(everything).toContain(maskSecret(s.viewerToken))
        expect(everything).toContain(fingerprintSecret(s.broadcasterToken))
        expect(everything).toContain(fingerprintSecret(s.twinRoomCode))
        expect(everything).toMatch(/token\.shared/)
        for (const secret of Object.values(s)) {
          expect(everything).not.toContain(secret)
          for (let i = 0; i + 16 <= secret.length; i++) {
            const slice = secret.slice(i, i + 16)
            if (everything.includes(slice)) expect.fail(`a 16-character slice of a secret was printed: …${slice}…`)
          }
        }
      },
      180_000,
    )
  })
}
