import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprintSecret } from '@hms-admin/core'
import { testBackends, openMigrated } from '../../test-support/backends.js'
import type { DatabaseOptions } from '@hms-admin/database'
import type { Prompts } from '../src/prompts.js'
import { cli } from './harness.js'

/** Resolves for everyone once `count` callers have arrived. */
function barrier(count: number): () => Promise<void> {
  let open!: () => void
  const all = new Promise<void>((resolve) => (open = resolve))
  let arrived = 0
  return () => {
    if (++arrived === count) open()
    return all
  }
}

/** An operator at an interactive set-token who sets the viewer token, then confirms once `ready` resolves. */
function operator(influencerId: string, viewerToken: string, ready: () => Promise<void>): Prompts {
  return {
    select: async () => influencerId as never,
    password: async ({ message }) => (message.startsWith('Viewer token') ? viewerToken : ''),
    confirm: async () => {
      await ready()
      return true
    },
  }
}

async function stored(db: DatabaseOptions, handle: string) {
  const h = await openMigrated(db)
  try {
    const row = await h.db.selectFrom('influencers').selectAll().where('handle', '=', handle).executeTakeFirstOrThrow()
    const events = await h.db
      .selectFrom('hms_credential_events')
      .selectAll()
      .where('influencer_id', '=', row.id)
      .orderBy('id')
      .execute()
    return {
      row,
      events: events.map((e) => ({
        actor: e.actor,
        action: e.action,
        field: e.field,
        old: e.old_fingerprint,
        new: e.new_fingerprint,
      })),
    }
  } finally {
    await h.close()
  }
}

const token = (name: string) => `HMS_${name}_${Math.random().toString(36).slice(2)}`

for (const backend of testBackends()) {
  describe(`two operators changing the same influencer at once (${backend.name})`, () => {
    let db: DatabaseOptions
    beforeAll(async () => {
      db = await backend.setup()
      await (await openMigrated(db)).close()
      for (const handle of ['ann', 'ben'])
        expect((await cli(db, ['influencer', 'add', handle, '--name', handle])).code).toBe(0)
    }, 60_000)
    afterAll(() => backend.teardown())

    it('writes one change when both read the same version, and the other fails with exit 2 and writes nothing', async () => {
      const before = await stored(db, 'ann')
      const [a, b] = [token('a'), token('b')]
      const bothRead = barrier(2)
      const run = (actor: string, value: string) =>
        cli(db, ['set-token'], {
          tty: true,
          prompts: operator(before.row.id, value, bothRead),
          env: { HMS_ADMIN_ACTOR: actor },
        })
      const results = await Promise.all([run('op-a', a), run('op-b', b)])

      expect(results.map((r) => r.code).sort()).toEqual([0, 2])
      const winner = results[0]!.code === 0 ? { actor: 'op-a', value: a } : { actor: 'op-b', value: b }
      const loser = results.find((r) => r.code === 2)!
      expect(loser.stderr).toMatch(
        /Error: The credentials of @ann changed meanwhile; nothing was written\.\nHint: Re-run the command/,
      )
      expect(loser.stderr).not.toMatch(/\n\s+at /)

      const after = await stored(db, 'ann')
      expect(after.row.hms_viewer_auth_token).toBe(winner.value)
      expect(after.row.hms_credentials_version).toBe(before.row.hms_credentials_version + 1)
      expect(after.events).toEqual([
        { actor: winner.actor, action: 'set', field: 'viewerToken', old: null, new: fingerprintSecret(winner.value) },
      ])

      // Re-running the refused change applies it on top of the winner's.
      const other = winner.value === a ? { actor: 'op-b', value: b } : { actor: 'op-a', value: a }
      const rerun = await cli(db, ['set-token', 'ann', '--viewer-token', '-'], {
        stdin: other.value,
        env: { HMS_ADMIN_ACTOR: other.actor },
      })
      expect(rerun.code, rerun.stderr).toBe(0)
      const last = await stored(db, 'ann')
      expect(last.row.hms_viewer_auth_token).toBe(other.value)
      expect(last.events).toEqual([
        ...after.events,
        {
          actor: other.actor,
          action: 'set',
          field: 'viewerToken',
          old: fingerprintSecret(winner.value),
          new: fingerprintSecret(other.value),
        },
      ])
    }, 60_000)

    it('never loses an update when two set-token runs race: one is refused or both apply in order', async () => {
      for (let round = 0; round < 3; round++) {
        const before = await stored(db, 'ben')
        const values = [token(`x${round}`), token(`y${round}`)] as const
        const results = await Promise.all(
          values.map((value, i) =>
            cli(db, ['set-token', 'ben', '--viewer-token', '-'], {
              stdin: value,
              env: { HMS_ADMIN_ACTOR: `racer-${i}` },
            }),
          ),
        )
        const after = await stored(db, 'ben')
        const added = after.events.slice(before.events.length)
        const ok = results.flatMap((r, i) => (r.code === 0 ? [i] : []))
        for (const r of results)
          if (r.code !== 0) {
            expect(r.code).toBe(2)
            expect(r.stderr).toMatch(/changed meanwhile; nothing was written/)
          }
        expect(ok.length).toBeGreaterThan(0)
        expect(after.row.hms_credentials_version).toBe(before.row.hms_credentials_version + ok.length)
        // Exactly one event per applied run, chained old -> new, the last one being what is stored.
        expect(added).toHaveLength(ok.length)
        expect(added.map((e) => e.actor).sort()).toEqual(ok.map((i) => `racer-${i}`))
        let previous = before.row.hms_viewer_auth_token
        for (const e of added) {
          const value = values[Number(e.actor.slice('racer-'.length))]!
          expect(e).toEqual({
            actor: e.actor,
            action: 'set',
            field: 'viewerToken',
            old: previous === null ? null : fingerprintSecret(previous),
            new: fingerprintSecret(value),
          })
          previous = value
        }
        expect(after.row.hms_viewer_auth_token).toBe(previous)
      }
    }, 90_000)
  })
}
