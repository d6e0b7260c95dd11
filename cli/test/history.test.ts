import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprintSecret } from '@hms-admin/core'
import { testBackends, openMigrated } from '../../test-support/backends.js'
import type { DatabaseOptions } from '@hms-admin/database'
import { cli } from './harness.js'

interface Event {
  at: string
  influencerId: string
  actor: string
  action: string
  field: string
  oldFingerprint: string | null
  newFingerprint: string | null
}

for (const backend of testBackends()) {
  describe(`hms-admin history (${backend.name})`, () => {
    let db: DatabaseOptions
    const token = `HMS_history_${Date.now()}`
    beforeAll(async () => {
      db = await backend.setup()
      await (await openMigrated(db)).close()
      for (const [handle, name] of [
        ['hana', 'Hana'],
        ['ivan', 'Ivan'],
      ])
        expect((await cli(db, ['influencer', 'add', handle!, '--name', name!])).code).toBe(0)
      // In this order: the newest change is the last clear.
      const steps: [string[], string?][] = [
        [['set-token', 'hana', '--viewer-room-code', '-'], 'hhh-aaaa-nnn'],
        [['set-token', 'hana', '--viewer-token', '-'], token],
        [['set-token', 'ivan', '--viewer-room-code', '-'], 'iii-vvvv-aaa'],
        [['set-token', 'hana', '--broadcaster-room-code', '-'], 'bbb-hhhh-nnn'],
        [['clear-token', 'hana', '--viewer']],
      ]
      for (const [argv, stdin] of steps) expect((await cli(db, argv, stdin ? { stdin } : {})).code).toBe(0)
    }, 60_000)
    afterAll(() => backend.teardown())

    const history = async (...argv: string[]): Promise<Event[]> => {
      const r = await cli(db, ['--json', 'history', ...argv])
      expect(r.code, r.stderr).toBe(0)
      return JSON.parse(r.stdout).events
    }
    const brief = (events: Event[]) => events.map((e) => `${e.action} ${e.field}`)

    it('lists every change newest first, across influencers', async () => {
      const events = await history()
      expect(brief(events)).toEqual([
        'clear viewerRoomCode',
        'clear viewerToken',
        'set broadcasterRoomCode',
        'set viewerRoomCode',
        'set viewerToken',
        'set viewerRoomCode',
      ])
      const ats = events.map((e) => Date.parse(e.at))
      expect(ats).toEqual([...ats].sort((a, b) => b - a))
      expect(events[1]).toMatchObject({
        actor: 'tester',
        oldFingerprint: fingerprintSecret(token),
        newFingerprint: null,
      })
      expect(events[4]).toMatchObject({ oldFingerprint: null, newFingerprint: fingerprintSecret(token) })
    })

    it('keeps the newest N with --limit, for one influencer or all', async () => {
      expect(brief(await history('hana', '--limit', '3'))).toEqual([
        'clear viewerRoomCode',
        'clear viewerToken',
        'set broadcasterRoomCode',
      ])
      expect(brief(await history('--limit', '1'))).toEqual(['clear viewerRoomCode'])
      const ivan = await history('ivan', '--limit', '10')
      expect(brief(ivan)).toEqual(['set viewerRoomCode'])
      expect(new Set((await history('hana')).map((e) => e.influencerId))).toEqual(
        new Set([(await history('hana', '--limit', '1'))[0]!.influencerId]),
      )
      expect(ivan[0]!.influencerId).not.toBe((await history('hana', '--limit', '1'))[0]!.influencerId)
    })

    it('prints the newest N lines in text mode', async () => {
      const r = await cli(db, ['history', '@hana', '--limit', '2'])
      expect(r.code).toBe(0)
      const lines = r.stdout.trimEnd().split('\n')
      expect(lines).toHaveLength(2)
      expect(lines[0]).toMatch(/\ttester\tclear viewerRoomCode\tsha256:[0-9a-f]{12} -> -$/)
      expect(lines[1]).toMatch(/\ttester\tclear viewerToken\tsha256:[0-9a-f]{12} -> -$/)
    })

    it.each(['0', '-1', 'ten', '1.5', '10001'])('refuses --limit %s with exit 2', async (limit) => {
      const r = await cli(db, ['history', '--limit', limit])
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/^Error: --limit must be a whole number from 1 to 10000\.\nHint: /)
    })
  })
}
