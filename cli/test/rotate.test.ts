import { jwtVerify } from 'jose'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprintSecret } from '@hms-admin/core'
import { addInfluencer, type DatabaseOptions } from '@hms-admin/database'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { mintBroadcasterToken, mintToken } from '../../test-support/tokens.js'
import { cli } from './harness.js'

const SECRET = 'rotate-test-secret-0123456789abcdef01234567'
const KEY = '65f2a1c4e8b9d0f1a2b3c4d5'
const ENV = { HMS_ACCESS_KEY: KEY, HMS_SECRET: SECRET }
const NOW = new Date('2026-05-01T00:00:00Z')
const nowS = NOW.getTime() / 1000
const DAY = 86400
const ours = (claims: Record<string, unknown>) =>
  mintToken({ access_key: KEY, ...claims }, { now: NOW, secret: SECRET })

interface Outcome {
  handle: string
  field: string
  reason?: string
  oldFingerprint: string
  newFingerprint?: string
}

for (const backend of testBackends()) {
  describe(`hms-admin rotate (${backend.name})`, { timeout: 120_000 }, () => {
    let db: DatabaseOptions
    let n = 0
    beforeAll(async () => {
      db = await backend.setup()
    }, 60_000)
    afterAll(() => backend.teardown())

    const withDb = async <T>(fn: (h: Awaited<ReturnType<typeof openMigrated>>) => Promise<T>) => {
      const h = await openMigrated(db)
      try {
        return await fn(h)
      } finally {
        await h.close()
      }
    }
    /** A fresh set of influencers (own handles per test) holding the given tokens, written straight to the table. */
    const seed = (rows: Record<string, { viewer?: string; broadcaster?: string }>) => {
      const prefix = `r${++n}`
      return withDb(async (h) => {
        for (const [handle, t] of Object.entries(rows)) {
          const i = await addInfluencer(h.db, { handle: `${prefix}${handle}`, name: handle })
          await h.db
            .updateTable('influencers')
            .set({ hms_viewer_auth_token: t.viewer ?? null, hms_auth_token: t.broadcaster ?? null })
            .where('id', '=', i.id)
            .execute()
        }
        return prefix
      })
    }
    const stored = (handle: string) =>
      withDb((h) =>
        h.db
          .selectFrom('influencers')
          .select([
            'id',
            'hms_viewer_auth_token as viewer',
            'hms_auth_token as broadcaster',
            'hms_credentials_version as version',
          ])
          .where('handle', '=', handle)
          .executeTakeFirstOrThrow(),
      )
    const rotate = async (argv: string[], env: Record<string, string> = ENV) => {
      const r = await cli(db, ['--json', 'rotate', ...argv], { env, now: NOW })
      return {
        ...r,
        out: r.stdout ? (JSON.parse(r.stdout) as Record<'rotated' | 'skipped' | 'failed', Outcome[]>) : null,
      }
    }
    const mix = async () => ({
      expiring: await ours({ exp: nowS + 2 * DAY, user_id: 'guest-a', room_id: 'room-a' }),
      expired: await ours({ exp: nowS - 60, user_id: 'guest-e' }),
      fresh: await ours({ exp: nowS + 30 * DAY }),
      foreign: await mintToken({ exp: nowS + DAY, access_key: 'another-key' }, { now: NOW }),
      hms: `HMS_legacy_${n}_token`,
      broken: await ours({ exp: nowS + DAY, type: 'other' }),
      broadcaster: await mintBroadcasterToken({ access_key: KEY, exp: nowS + 3 * DAY }, { now: NOW, secret: SECRET }),
    })

    it('renews expiring and expired tokens with the same claims; skips foreign, HMS_ and broken ones with reasons (exit 1)', async () => {
      const t = await mix()
      const p = await seed({
        a: { viewer: t.expiring, broadcaster: t.broadcaster },
        e: { viewer: t.expired },
        f: { viewer: t.fresh },
        k: { viewer: t.foreign },
        h: { viewer: t.hms },
        b: { viewer: t.broken },
      })
      const r = await rotate(['--valid-for', '10d'])
      expect(r.code, r.stderr).toBe(1)
      const mine = (list: Outcome[]) => list.filter((o) => o.handle.startsWith(p)).map((o) => o.handle.slice(p.length))
      expect(mine(r.out!.rotated).sort()).toEqual(['a', 'e'])
      expect(mine(r.out!.skipped).sort()).toEqual(['b', 'h', 'k'])
      const reason = (h: string) => r.out!.skipped.find((o) => o.handle === `${p}${h}`)!.reason
      expect(reason('k')).toMatch(/access_key is not the configured one/)
      expect(reason('h')).toMatch(/HMS_ token/)
      expect(reason('b')).toMatch(/token\.not_app_token/)
      const a = await stored(`${p}a`)
      expect(a.broadcaster).toBe(t.broadcaster) // --slot viewer is the default
      expect(a.version).toBe(1)
      const { payload } = await jwtVerify(a.viewer!, new TextEncoder().encode(SECRET), { currentDate: NOW })
      expect(payload).toMatchObject({
        access_key: KEY,
        room_id: 'room-a',
        role: 'viewer',
        user_id: 'guest-a',
        type: 'app',
        version: 2,
      })
      expect(payload.exp).toBe(nowS - 10 + 10 * DAY)
      expect(r.out!.rotated.find((o) => o.handle === `${p}a`)).toMatchObject({
        oldFingerprint: fingerprintSecret(t.expiring),
        newFingerprint: fingerprintSecret(a.viewer!),
      })
      for (const h of ['f', 'k', 'h', 'b']) expect((await stored(`${p}${h}`)).version).toBe(0)
      const history = await withDb((h) =>
        h.db
          .selectFrom('hms_credential_events')
          .select(['action', 'field', 'old_fingerprint', 'new_fingerprint'])
          .where('influencer_id', '=', a.id)
          .execute(),
      )
      expect(history).toEqual([
        {
          action: 'rotate',
          field: 'viewerToken',
          old_fingerprint: fingerprintSecret(t.expiring),
          new_fingerprint: fingerprintSecret(a.viewer!),
        },
      ])
      expect(r.all).not.toContain(a.viewer!.slice(-20))
    })

    it('--slot all takes the broadcaster tokens too; --influencer narrows; exit 0 when all selected were rotated', async () => {
      const t = await mix()
      const p = await seed({ a: { viewer: t.expiring, broadcaster: t.broadcaster }, k: { viewer: t.foreign } })
      const r = await rotate(['--slot', 'all', '--influencer', `@${p}a`])
      expect(r.code, r.stderr).toBe(0)
      expect(r.out!.rotated.map((o) => o.field).sort()).toEqual(['broadcasterToken', 'viewerToken'])
      const a = await stored(`${p}a`)
      expect(a.version).toBe(1)
      const claims = (await jwtVerify(a.broadcaster!, new TextEncoder().encode(SECRET), { currentDate: NOW })).payload
      expect(claims.role).toBe('broadcaster')
      expect((await stored(`${p}k`)).viewer).toBe(t.foreign)
    })

    it('--dry-run lists the same outcomes and writes nothing', async () => {
      const t = await mix()
      const p = await seed({ a: { viewer: t.expiring }, h: { viewer: t.hms } })
      const r = await rotate(['--dry-run', '--influencer', `${p}a`, '--influencer', `${p}h`])
      expect(r.code).toBe(1)
      expect(r.out!.rotated.map((o) => o.handle)).toEqual([`${p}a`])
      expect(r.out!.skipped.map((o) => o.handle)).toEqual([`${p}h`])
      expect((await stored(`${p}a`)).viewer).toBe(t.expiring)
    })

    it('--expiring-within widens the selection', async () => {
      const t = await mix()
      const p = await seed({ f: { viewer: t.fresh } })
      expect((await rotate(['--influencer', `${p}f`])).out!.rotated).toEqual([])
      const r = await rotate(['--influencer', `${p}f`, '--expiring-within', '31d'])
      expect(r.code, r.stderr).toBe(0)
      expect(r.out!.rotated.map((o) => o.handle)).toEqual([`${p}f`])
    })

    it('one failed write does not stop the others (exit 1, the failure listed)', async () => {
      const t = await mix()
      const p = await seed({ a: { viewer: t.expiring }, x: { viewer: await ours({ exp: nowS + DAY, user_id: 'x' }) } })
      const fn = `${p}_refuse`
      await withDb(async (h) => {
        await sql
          .raw(`create function ${fn}() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`)
          .execute(h.db)
        await sql
          .raw(
            `create trigger ${fn} before update on influencers for each row when (new.handle = '${p}x') execute function ${fn}()`,
          )
          .execute(h.db)
      })
      try {
        const r = await rotate(['--influencer', `${p}x`, '--influencer', `${p}a`])
        expect(r.code).toBe(1)
        expect(r.out!.failed.map((o) => o.handle)).toEqual([`${p}x`])
        expect(r.out!.rotated.map((o) => o.handle)).toEqual([`${p}a`])
        expect((await stored(`${p}a`)).version).toBe(1)
      } finally {
        await withDb((h) => sql.raw(`drop trigger ${fn} on influencers`).execute(h.db))
      }
    })

    it('names an influencer without a handle by name and id, never @null or @<id>', async () => {
      const p = await seed({ a: { viewer: await ours({ exp: nowS + 2 * DAY }) } })
      const { id } = await stored(`${p}a`)
      await withDb((h) => h.db.updateTable('influencers').set({ handle: null }).where('id', '=', id).execute())
      const r = await cli(db, ['rotate', '--dry-run', '--influencer', id], { env: ENV, now: NOW })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain(`would rotate a (id ${id}) viewerToken`)
      expect(r.all).not.toContain('@null')
      expect(r.all).not.toContain(`@${id}`)
    })

    it.each([
      ['no secret', { HMS_ACCESS_KEY: KEY }, [], /No 100ms app secret/],
      ['a secret on argv', { HMS_ACCESS_KEY: KEY }, ['--secret', SECRET], /never accepted on the command line/],
      ['a bad --slot', ENV, ['--slot', 'both'], /--slot/],
      ['a bad --expiring-within', ENV, ['--expiring-within', 'soon'], /--expiring-within must be/],
    ])('fails on %s (exit 2), writing nothing', async (_name, env, argv, message) => {
      const r = await cli(db, ['rotate', ...argv], { env, now: NOW })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.all).not.toContain(SECRET)
    })
  })
}
