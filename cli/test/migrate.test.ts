import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sql, type Kysely } from 'kysely'
import { openDatabase, type DatabaseOptions } from '@hms-admin/database'
import { testBackends } from '../../test-support/backends.js'
import { cli } from './harness.js'

const id = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const SLOW = 120_000

/** Runs raw SQL on the test database (the app's own statements, before hms-admin sees it). */
async function appSql(options: DatabaseOptions, statements: (db: Kysely<any>) => Promise<unknown>): Promise<void> {
  const h = await openDatabase(options)
  try {
    await statements(h.db as unknown as Kysely<any>)
  } finally {
    await h.close()
  }
}

describe.each(testBackends())('hms-admin migrate on an adopted database ($name)', (backend) => {
  let db: DatabaseOptions
  beforeEach(async () => {
    db = await backend.setup()
  }, SLOW)
  afterEach(() => backend.teardown())

  it(
    'warns with the colliding and unusable rows, keeps saying so in --status, and every command reaches them',
    async () => {
      await appSql(db, async (d) => {
        await sql`create table influencers (id uuid primary key, name text not null, handle text)`.execute(d)
        await sql`insert into influencers values (${id(1)}, 'Ann A', 'Ann'), (${id(2)}, 'Ann B', 'ann'),
          (${id(3)}, 'Nina Null', null)`.execute(d)
      })
      const m = await cli(db, ['migrate'])
      expect(m.code).toBe(0)
      expect(m.stderr).toContain(
        `Warning: influencers: the unique index on lower(handle) was not added, because these rows share a handle when case is ignored: id ${id(1)} "Ann", id ${id(2)} "ann".`,
      )
      expect(m.stderr).toContain(
        `Warning: influencers: these rows have no usable handle, so hms-admin finds them by id or name only: id ${id(3)} (no handle).`,
      )
      const status = await cli(db, ['migrate', '--status'])
      expect(status.code).toBe(0)
      expect(status.stdout).toMatch(/^applied {2}2026_11_28_060000_create_credential_tables$/m)
      expect(status.stderr).toContain(`id ${id(1)} "Ann", id ${id(2)} "ann"`)
      const json = JSON.parse((await cli(db, ['--json', 'migrate', '--status'])).stdout)
      expect(json.warnings.map((w: { code: string; ids: string[] }) => [w.code, w.ids])).toEqual([
        ['handle.collision', [id(1), id(2)]],
        ['handle.unusable', [id(3)]],
      ])
      expect((await cli(db, ['show', 'ann'])).stderr).toContain(`matches 2 influencers`)
      for (const q of [id(2), 'Ann B', id(3), 'nina null']) {
        const show = await cli(db, ['--json', 'show', q])
        expect(show.code, q).toBe(0)
      }
      const set = await cli(db, ['set-token', 'Nina Null', '--viewer-room-code', '-'], { stdin: 'abc-defg-hij\n' })
      expect(set.code).toBe(0)
      expect(set.stdout).toContain(`of Nina Null (id ${id(3)})`)
      expect((await cli(db, ['clear-token', id(3), '--viewer'])).code).toBe(0)
      expect((await cli(db, ['history', 'Nina Null'])).code).toBe(0)
      const session = await cli(db, ['session', 'start', id(3)])
      expect(session.stdout).toContain(`for Nina Null (id ${id(3)})`)
      const list = await cli(db, ['influencer', 'list'])
      expect(list.stdout).not.toContain('@null')
      expect(list.stdout).toMatch(new RegExp(`^-\\s+Nina Null\\s+${id(3)}$`, 'm'))
    },
    SLOW,
  )

  it(
    'prints the failed migration with Postgres’s message, never only "check the database log"',
    async () => {
      await appSql(db, async (d) => {
        await sql`create table people (id uuid primary key, name text not null)`.execute(d)
        await sql`create view influencers as select * from people`.execute(d)
      })
      for (const argv of [['migrate'], ['influencer', 'list']]) {
        const r = await cli(db, argv)
        expect(r.code).toBe(3)
        expect(r.stderr).toContain(
          'The migration 2026_11_28_060000_create_credential_tables failed: ALTER action ADD COLUMN cannot be performed on relation "influencers".',
        )
        expect(r.stderr).not.toMatch(/database log/i)
        expect(r.stderr).not.toMatch(/\n\s+at /)
      }
    },
    SLOW,
  )

  it(
    'works in another schema with --schema or HMS_ADMIN_SCHEMA and refuses bad or secret-shaped names',
    async () => {
      await appSql(db, async (d) => {
        await sql`create schema shop`.execute(d)
        await sql`create table shop.influencers (id bigint primary key, name text not null, handle text)`.execute(d)
        await sql`insert into shop.influencers values (7, 'Ann', 'ann')`.execute(d)
      })
      expect((await cli(db, ['--schema', 'shop', 'migrate'])).code).toBe(0)
      const viaFlag = await cli(db, ['--json', '--schema', 'shop', 'influencer', 'list'])
      expect(JSON.parse(viaFlag.stdout).influencers).toEqual([{ id: '7', handle: 'ann', name: 'Ann' }])
      const viaEnv = await cli(db, ['--json', 'show', '7'], { env: { HMS_ADMIN_SCHEMA: 'shop' } })
      expect(viaEnv.code).toBe(0)
      for (const argv of [['influencer', 'list'], ['migrate'], ['migrate', '--status']]) {
        const missing = await cli(db, ['--schema', 'nope', ...argv])
        expect(missing.code, argv.join(' ')).toBe(3)
        expect(missing.stderr).toContain('The schema "nope" does not exist')
      }
      const secret = 'HMS_0123456789abcdefghijklmnopqrstuvwxyz'
      for (const [argv, env] of [
        [['--schema', secret, 'migrate'], {}],
        [['migrate'], { HMS_ADMIN_SCHEMA: secret }],
        [['--schema', 'shop; drop table x', 'migrate'], {}],
      ] as const) {
        const r = await cli(db, [...argv], { env: { ...env } })
        expect(r.code).toBe(2)
        expect(r.stderr).toMatch(/(--schema|HMS_ADMIN_SCHEMA) must be a schema name/)
        for (let i = 0; i + 16 <= secret.length; i++) expect(r.all).not.toContain(secret.slice(i, i + 16))
      }
    },
    SLOW,
  )
})
