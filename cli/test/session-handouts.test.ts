import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addHandouts, addInfluencer, startSession, type DatabaseOptions } from '@hms-admin/database'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { cli } from './harness.js'

for (const backend of testBackends()) {
  describe(`session list and show print hand-out counts (${backend.name})`, () => {
    let db: DatabaseOptions
    let sessionId = ''
    beforeAll(async () => {
      db = await backend.setup()
      const h = await openMigrated(db)
      try {
        const i = await addInfluencer(h.db, { handle: 'handy', name: 'Handy' })
        sessionId = (await startSession(h.db, { influencerId: i.id })).id
        const minute = new Date('2026-07-01T10:00:00Z')
        await addHandouts(h.db, [
          { sessionId, minute, status: 200, count: 40 },
          { sessionId, minute, status: 403, count: 2 },
        ])
        await addHandouts(h.db, [{ sessionId, minute, status: 200, count: 2 }])
      } finally {
        await h.close()
      }
    }, 60_000)
    afterAll(() => backend.teardown())

    it('session list: the total and per status, in text and JSON', async () => {
      const text = await cli(db, ['session', 'list'])
      expect(text.code, text.stderr).toBe(0)
      expect(text.stdout).toContain('44 (200: 42, 403: 2)')
      const json = JSON.parse((await cli(db, ['--json', 'session', 'list'])).stdout)
      expect(json.sessions.find((s: { id: string }) => s.id === sessionId).handouts).toEqual({
        total: 44,
        byStatus: { '200': 42, '403': 2 },
      })
    })

    it('show: the influencer total over its sessions', async () => {
      const text = await cli(db, ['show', 'handy'])
      expect(text.stdout).toMatch(/Hand-outs \(viewer-credential answers of serve\): 44 \(200: 42, 403: 2\)/)
      expect(JSON.parse((await cli(db, ['--json', 'show', 'handy'])).stdout).handouts.total).toBe(44)
    })
  })
}
