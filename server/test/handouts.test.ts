import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addHandouts, handoutTotals, type DatabaseHandle } from '@hms-admin/database'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { createHandoutCounter, type HandoutRow } from '../src/handout-counter.js'

for (const backend of testBackends()) {
  describe(`viewer hand-out counts (${backend.name})`, () => {
    let handle: DatabaseHandle
    beforeAll(async () => {
      handle = await openMigrated(await backend.setup())
    }, 60_000)
    afterAll(async () => {
      await handle.close()
      await backend.teardown()
    })

    it('counts in memory, writes one batch per flush, and adds to the stored counts', async () => {
      const writes: HandoutRow[][] = []
      let clock = Date.parse('2026-07-01T10:00:30Z')
      const counter = createHandoutCounter({
        write: async (rows) => {
          writes.push(rows)
          await addHandouts(handle.db, rows)
        },
        now: () => clock,
      })
      const [a, b] = [randomUUID(), randomUUID()]
      for (let i = 0; i < 500; i++) counter.count(a, 200, 'alice')
      counter.count(a, 403, 'alice')
      counter.count(b, 200, 'bob')
      expect(writes).toEqual([]) // never on the request path
      await counter.flush()
      expect(writes).toHaveLength(1)
      expect(writes[0]).toHaveLength(3)
      clock += 10_000 // the same minute: the stored row grows
      counter.count(a, 200, 'alice')
      clock += 60_000 // the next minute: a row of its own
      counter.count(a, 200, 'alice')
      await counter.close()
      expect(writes).toHaveLength(2)
      expect(await handoutTotals(handle.db, [a, b])).toEqual(
        new Map([
          [a, { '200': 502, '403': 1 }],
          [b, { '200': 1 }],
        ]),
      )
      const minutes = await handle.db
        .selectFrom('hms_viewer_handouts')
        .select(['minute', 'count'])
        .where('session_id', '=', a)
        .where('status', '=', 200)
        .orderBy('minute')
        .execute()
      expect(minutes.map((m) => [new Date(m.minute).toISOString(), Number(m.count)])).toEqual([
        ['2026-07-01T10:00:00.000Z', 501],
        ['2026-07-01T10:01:00.000Z', 1],
      ])
      expect(counter.byHandle().get('alice')).toEqual(
        new Map([
          [200, 502],
          [403, 1],
        ]),
      )
    })

    it('keeps the counts of a failed write for the next flush', async () => {
      let fail = true
      const counter = createHandoutCounter({
        write: async (rows) => {
          if (fail) throw new Error('database down')
          await addHandouts(handle.db, rows)
        },
      })
      const s = randomUUID()
      counter.count(s, 200)
      await counter.flush()
      counter.count(s, 200)
      fail = false
      await counter.close()
      expect((await handoutTotals(handle.db, [s])).get(s)).toEqual({ '200': 2 })
    })
  })
}
