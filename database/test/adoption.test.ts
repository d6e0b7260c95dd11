import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sql, type Kysely } from 'kysely'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { fingerprintRows } from '../../test-support/row-fingerprints.js'
import {
  addInfluencer,
  findInfluencer,
  findSharedSecretsInDatabase,
  listCredentialEvents,
  listInfluencers,
  listLiveStreams,
  openDatabase,
  startSession,
  updateCredentials,
  type DatabaseHandle,
} from '@hms-admin/database'
import {
  adoptionWarnings,
  MigrationFailedError,
  migrateDown,
  migrateToLatest,
  SchemaNotFoundError,
  type AdoptionWarning,
} from '@hms-admin/migrations'

const dump = async (db: Kysely<any>, table: string) =>
  (await sql.raw(`select to_jsonb(t) as j from ${table} t order by id`).execute(db)).rows

describe.each(testBackends())('adoption of a seed-shaped database on $name', (backend) => {
  let h: DatabaseHandle
  beforeEach(async () => {
    h = await openDatabase(await backend.setup())
  })
  afterEach(async () => {
    await h?.close()
    await backend.teardown()
  })

  it('keeps every old row and value unchanged when migrated twice and adds the new columns', async () => {
    const db = h.db as unknown as Kysely<any>
    await sql`create table influencers (id uuid primary key, name text not null, bio text, followers int default 0, created_at timestamptz default now(), hms_auth_token text, room_code text)`.execute(
      db,
    )
    await sql`create table live_stream_sessions (id uuid primary key, influencer_id uuid references influencers(id), status text, viewer_count int)`.execute(
      db,
    )
    await sql`insert into influencers (id, name, bio, followers, hms_auth_token, room_code) values
      ('11111111-1111-4111-8111-111111111111', 'Ann', 'hi', 10, 'HMS_ann', 'abc-defg-hij'),
      ('22222222-2222-4222-8222-222222222222', 'Ben', null, 0, null, null)`.execute(db)
    await sql`insert into live_stream_sessions values ('33333333-3333-4333-8333-333333333333', '11111111-1111-4111-8111-111111111111', 'live', 5)`.execute(
      db,
    )
    const before = await dump(db, 'influencers')
    const sessionsBefore = await dump(db, 'live_stream_sessions')
    await migrateToLatest(db)
    await migrateToLatest(db)
    const after = await dump(db, 'influencers')
    expect(
      after.map((r: any) => Object.fromEntries(Object.entries(r.j).filter(([k]) => k in (before[0] as any).j))),
    ).toEqual(before.map((r: any) => r.j))
    expect((after[0] as any).j).toMatchObject({ handle: null, hms_viewer_auth_token: null, hms_credentials_version: 0 })
    const sessionsAfter = await dump(db, 'live_stream_sessions')
    expect(
      sessionsAfter.map((r: any) => ({ ...r.j, title: undefined, started_at: undefined, ended_at: undefined })),
    ).toEqual(
      sessionsBefore.map((r: any) => ({ ...r.j, title: undefined, started_at: undefined, ended_at: undefined })),
    )
    await migrateDown(db)
    expect(await dump(db, 'influencers')).toEqual(before)
    expect(await dump(db, 'live_stream_sessions')).toEqual(sessionsBefore)
  })
})

describe('embedded database shared by processes', () => {
  it('lets two child processes write to the same data dir at once without errors or lost writes', async () => {
    const [backend] = testBackends()
    const options = await backend!.setup()
    try {
      await (await openMigrated(options)).close()
      const script = fileURLToPath(new URL('../../test-support/embedded-writer.mjs', import.meta.url))
      const run = promisify(execFile)
      await Promise.all([
        run('node', [script, options.dataDir!, '30', 'a']),
        run('node', [script, options.dataDir!, '30', 'b']),
      ])
      const h2 = await openDatabase(options)
      const n = await sql<{ n: number }>`select count(*)::int as n from influencers`.execute(h2.db)
      await h2.close()
      expect(n.rows[0]!.n).toBe(60)
    } finally {
      await backend!.teardown()
    }
  }, 120_000)
})

// Each test makes its own database; under load on a shared machine that takes a while.
const SLOW = 120_000
const id = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const codes = (warnings: AdoptionWarning[]) => warnings.map((w) => w.code)
const handleIndex = async (db: Kysely<any>, schema = 'public') =>
  (
    await sql`select 1 from pg_indexes where schemaname = ${schema} and indexname = 'influencers_handle_key_hms'`.execute(
      db,
    )
  ).rows.length === 1

/** Migrates twice and checks that no row of `tables` was written (values and xmin); returns both runs' warnings. */
async function migrateTwice(db: Kysely<any>, tables: string[], schema = 'public') {
  const before = await Promise.all(tables.map((t) => fingerprintRows(db, schema, t)))
  const first = await migrateToLatest(db, { schema })
  const second = await migrateToLatest(db, { schema })
  const after = await Promise.all(tables.map((t, i) => fingerprintRows(db, schema, t, before[i]!.columns)))
  expect(after).toEqual(before)
  expect(before.every((t) => t.rows.length > 0)).toBe(true)
  return { first: first.warnings, second: second.warnings }
}

describe.each(testBackends())('adopting legacy shapes on $name', (backend) => {
  let h: DatabaseHandle
  let db: Kysely<any>
  beforeEach(async () => {
    h = await openDatabase(await backend.setup())
    db = h.db as unknown as Kysely<any>
  })
  afterEach(async () => {
    await h?.close()
    await backend.teardown()
  }, SLOW)

  it(
    'keeps colliding, NULL, empty, spaced and overlong handles, warns with their ids, and adds the index once fixed',
    async () => {
      await sql`create table influencers (id uuid primary key, name text not null, handle text)`.execute(db)
      const long = 'x'.repeat(70)
      await sql`insert into influencers (id, name, handle) values
      (${id(1)}, 'Ann A', 'Ann'), (${id(2)}, 'Ann B', 'ann'), (${id(3)}, 'Bob', 'bob'), (${id(4)}, 'Bobby', 'bob'),
      (${id(5)}, 'Nina Null', null), (${id(6)}, 'Emma Empty', ''), (${id(7)}, 'Sam', 'sam smith'),
      (${id(8)}, 'Lou Long', ${long}), (${id(9)}, 'Zoe', 'zoe')`.execute(db)
      const { first, second } = await migrateTwice(db, ['influencers'])
      expect(second).toEqual(first)
      expect(first.map(({ code, ids, total }) => ({ code, ids, total }))).toEqual([
        { code: 'handle.collision', ids: [id(1), id(2), id(3), id(4)], total: 4 },
        { code: 'handle.unusable', ids: [id(5), id(6), id(7), id(8)], total: 4 },
      ])
      expect(first[0]!.message).toBe(
        `influencers: the unique index on lower(handle) was not added, because these rows share a handle when case is ignored: id ${id(1)} "Ann", id ${id(2)} "ann", id ${id(3)} "bob", id ${id(4)} "bob". Until each has its own handle, reach them by id or name; then run \`hms-admin migrate\` again to add the index.`,
      )
      expect(first[1]!.message).toBe(
        `influencers: these rows have no usable handle, so hms-admin finds them by id or name only: id ${id(5)} (no handle), id ${id(6)} (empty handle), id ${id(7)} "sa…" (handle has spaces), id ${id(8)} "xxxxxx…xxxx" (handle of 70 characters, at most 64).`,
      )
      expect(await handleIndex(db)).toBe(false)
      // `migrate --status` keeps saying so.
      expect(await adoptionWarnings(db, 'public')).toEqual(first)
      // Reachable by id and by name; the colliding handle is ambiguous, never a silent pick.
      for (const q of [id(5), 'Nina Null', id(7), 'sam', id(8), 'Lou Long', id(2).toUpperCase()]) {
        const found = await findInfluencer(h.db, q)
        expect(found.kind === 'found' ? found.influencer.name : found.kind, q).not.toMatch(/^(ambiguous|not_found)$/)
      }
      expect((await findInfluencer(h.db, 'ANN')).kind).toBe('ambiguous')
      await sql`update influencers set handle = 'ann2' where id = ${id(2)}`.execute(db)
      await sql`update influencers set handle = 'bob2' where id = ${id(4)}`.execute(db)
      expect(codes((await migrateToLatest(db)).warnings)).toEqual(['handle.unusable'])
      expect(await handleIndex(db)).toBe(true)
    },
    SLOW,
  )

  it(
    'adds a handle column to a table without one; every row stays reachable by id and name',
    async () => {
      await sql`create table influencers (id uuid primary key, name text not null, bio text)`.execute(db)
      await sql`insert into influencers values (${id(1)}, 'Ann', 'hi'), (${id(2)}, 'Ben', null)`.execute(db)
      const { first } = await migrateTwice(db, ['influencers'])
      expect(first.map(({ code, ids }) => ({ code, ids }))).toEqual([{ code: 'handle.unusable', ids: [id(1), id(2)] }])
      expect(first[0]!.message).toContain(`id ${id(1)} (no handle), id ${id(2)} (no handle)`)
      const found = await findInfluencer(h.db, 'ben')
      expect(found.kind === 'found' && found.influencer.id).toBe(id(2))
      expect((await addInfluencer(h.db, { handle: 'cy', name: 'Cy' })).handle).toBe('cy')
      expect(await handleIndex(db)).toBe(true)
    },
    SLOW,
  )

  it.each([
    ['uuid', [id(1), id(2)]],
    ['bigint generated by default as identity', ['1', '2']],
    ['text', ['ann-1', 'ben-2']],
  ])(
    'works with ids of type %s: sessions, credentials, history and lookups',
    async (type, ids) => {
      await sql.raw(`create table influencers (id ${type} primary key, name text not null, handle text)`).execute(db)
      // An identity column numbers the app's rows itself (1, 2), as the app would have.
      if (type.includes('identity'))
        await sql`insert into influencers (name, handle) values ('Ann', 'ann'), ('Ben', 'ben')`.execute(db)
      else
        await sql`insert into influencers (id, name, handle) values (${ids[0]}, 'Ann', 'ann'), (${ids[1]}, 'Ben', 'ben')`.execute(
          db,
        )
      const { first } = await migrateTwice(db, ['influencers'])
      expect(first).toEqual([])
      const idType = await sql<{ t: string }>`select format_type(atttypid, atttypmod) as t from pg_attribute
      where attrelid = 'live_stream_sessions'::regclass and attname = 'influencer_id'`.execute(db)
      expect(idType.rows[0]!.t).toBe(type.split(' ')[0])
      const found = await findInfluencer(h.db, ids[1]!)
      expect(found.kind === 'found' && found.influencer.name).toBe('Ben')
      const added = await addInfluencer(h.db, { handle: 'cy', name: 'Cy' })
      expect((await findInfluencer(h.db, added.id)).kind).toBe('found')
      for (const influencerId of [ids[0]!, ids[1]!]) {
        const r = await updateCredentials(h.db, {
          influencerId,
          expectedVersion: 0,
          changes: { viewerToken: 'HMS_shared_viewer_token' },
          actor: 'test',
        })
        expect(r.ok).toBe(true)
      }
      expect([...(await findSharedSecretsInDatabase(h.db)).keys()].sort()).toEqual([...ids].sort())
      expect((await listCredentialEvents(h.db, { influencerId: ids[0]! })).length).toBe(1)
      const session = await startSession(h.db, { influencerId: ids[1]!, title: 'Live' })
      expect((await listLiveStreams(h.db)).map((s) => [s.session.id, s.influencer.id])).toEqual([[session.id, ids[1]]])
    },
    SLOW,
  )

  it(
    'keeps session statuses it does not know, reads them as not live and names them',
    async () => {
      await sql`create table influencers (id uuid primary key, name text not null, handle text)`.execute(db)
      await sql`create table live_stream_sessions (id uuid primary key, influencer_id uuid references influencers(id), status text)`.execute(
        db,
      )
      await sql`insert into influencers values (${id(1)}, 'Ann', 'ann')`.execute(db)
      await sql`insert into live_stream_sessions values (${id(11)}, ${id(1)}, 'live'), (${id(12)}, ${id(1)}, 'paused'),
      (${id(13)}, ${id(1)}, 'LIVE'), (${id(14)}, ${id(1)}, 'ended')`.execute(db)
      const { first, second } = await migrateTwice(db, ['influencers', 'live_stream_sessions'])
      expect(second).toEqual(first)
      expect(codes(first)).toEqual(['session.unknown_status'])
      expect([...first[0]!.ids].sort()).toEqual([id(12), id(13)])
      expect(first[0]!.message).toContain(`id ${id(12)} "paused"`)
      expect(first[0]!.message).toContain(`id ${id(13)} "LIVE"`)
      expect((await listLiveStreams(h.db)).map((s) => s.session.id)).toEqual([id(11)])
      expect(await adoptionWarnings(db, 'public')).toEqual(first)
    },
    SLOW,
  )

  it(
    'migrates a table with row-level security without touching a row and says whom it applies to',
    async () => {
      await sql`create table influencers (id uuid primary key, name text not null, handle text)`.execute(db)
      await sql`insert into influencers values (${id(1)}, 'Ann', 'ann'), (${id(2)}, 'Hidden', 'hid')`.execute(db)
      await sql`alter table influencers enable row level security`.execute(db)
      await sql`create policy visible on influencers using (name <> 'Hidden')`.execute(db)
      const { first } = await migrateTwice(db, ['influencers'])
      expect(codes(first)).toEqual(['rls.enabled'])
      expect(first[0]!.message).toMatch(
        /^influencers: row-level security is enabled; role "postgres" bypasses it \(superuser or BYPASSRLS\), so hms-admin sees every row\.$/,
      )
      expect((await listInfluencers(h.db)).map((i) => i.name)).toEqual(['Ann', 'Hidden'])
    },
    SLOW,
  )

  it(
    'adopts the tables of another schema, names it in every query and leaves public alone',
    async () => {
      await sql`create schema app`.execute(db)
      await sql`create table app.influencers (id bigint primary key, name text not null, handle text)`.execute(db)
      await sql`create table public.influencers (id uuid primary key, name text not null)`.execute(db)
      await sql`insert into app.influencers values (1, 'Ann', 'ann'), (2, 'Ben', 'Ann')`.execute(db)
      await sql`insert into public.influencers values (${id(9)}, 'Decoy')`.execute(db)
      const app = await openDatabase({ ...backend.options, schema: 'app' })
      try {
        const appDb = app.db as unknown as Kysely<any>
        const publicBefore = await fingerprintRows(db, 'public', 'influencers')
        const { first } = await migrateTwice(appDb, ['influencers'], 'app')
        expect(first.map(({ code, ids }) => ({ code, ids }))).toEqual([{ code: 'handle.collision', ids: ['1', '2'] }])
        expect(await fingerprintRows(db, 'public', 'influencers')).toEqual(publicBefore)
        const where = await sql<{ app: string | null; pub: string | null }>`select
        to_regclass('app.hms_admin_migrations')::text as app, to_regclass('public.hms_admin_migrations')::text as pub`.execute(
          db,
        )
        expect(where.rows[0]).toEqual({ app: 'app.hms_admin_migrations', pub: null })
        expect((await listInfluencers(app.db)).map((i) => i.name)).toEqual(['Ann', 'Ben'])
        let notified: (payload: string) => void = () => undefined
        const payload = new Promise<string>((resolve) => {
          notified = resolve
        })
        const stop = await app.listen('hms_admin_changes', (p) => notified(p))
        await updateCredentials(app.db, {
          influencerId: '2',
          expectedVersion: 0,
          changes: { viewerRoomCode: 'abc-defg-hij' },
          actor: 't',
        })
        expect(JSON.parse(await payload)).toMatchObject({ table: 'influencers', id: '2', influencerId: '2' })
        await stop()
        expect((await listCredentialEvents(app.db, { influencerId: '2' })).length).toBe(1)
        await expect(migrateToLatest(db, { schema: 'nope' })).rejects.toBeInstanceOf(SchemaNotFoundError)
      } finally {
        await app.close()
      }
    },
    SLOW,
  )

  it(
    'names the failed migration with Postgres’s message and writes nothing of it',
    async () => {
      await sql`create table people (id uuid primary key, name text not null)`.execute(db)
      await sql`create view influencers as select * from people`.execute(db)
      await sql`insert into people values (${id(1)}, 'Ann')`.execute(db)
      const before = await fingerprintRows(db, 'public', 'people')
      const failure = await migrateToLatest(db).catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(MigrationFailedError)
      const e = failure as MigrationFailedError
      expect(e.migrationName).toBe('2026_11_28_060000_create_credential_tables')
      expect(e.message).toMatch(
        /^The migration 2026_11_28_060000_create_credential_tables failed: ALTER action ADD COLUMN cannot be performed on relation "influencers"$/,
      )
      expect(await migrateToLatest(db).catch((x: unknown) => (x as Error).message)).toBe(e.message)
      expect(await fingerprintRows(db, 'public', 'people')).toEqual(before)
      const meta = await sql<{ t: string | null }>`select to_regclass('public.hms_admin_meta')::text as t`.execute(db)
      expect(meta.rows[0]!.t).toBeNull()
    },
    SLOW,
  )
})

describe.each(testBackends().filter((b) => b.name === 'postgres'))(
  'row-level security that applies, on $name',
  (backend) => {
    it(
      'says the policies apply to the role, keeps every row, and reports the index that hidden rows block',
      async () => {
        const options = await backend.setup()
        const role = `hms_rls_${randomBytes(4).toString('hex')}`
        const url = new URL(options.databaseUrl!)
        const admin = await openDatabase(options)
        const db = admin.db as unknown as Kysely<any>
        try {
          await sql.raw(`create role ${role} login`).execute(db)
          // Owning the database gives the role CREATE on public (Postgres 15+), as an app's own role has.
          await sql.raw(`alter database ${url.pathname.slice(1)} owner to ${role}`).execute(db)
          await sql`create table influencers (id uuid primary key, name text not null, handle text)`.execute(db)
          await sql`insert into influencers values (${id(1)}, 'Ann', 'Ann'), (${id(2)}, 'Hidden', 'ann')`.execute(db)
          await sql.raw(`alter table influencers owner to ${role}`).execute(db)
          await sql`alter table influencers enable row level security`.execute(db)
          await sql`alter table influencers force row level security`.execute(db)
          await sql`create policy visible on influencers using (name <> 'Hidden')`.execute(db)
          const before = await fingerprintRows(db, 'public', 'influencers')
          url.username = role
          const app = await openDatabase({ databaseUrl: url.toString() })
          try {
            const first = (await migrateToLatest(app.db as unknown as Kysely<any>)).warnings
            const second = (await migrateToLatest(app.db as unknown as Kysely<any>)).warnings
            expect(second).toEqual(first)
            expect(first.map((w) => w.message)).toEqual([
              'influencers: the unique index on lower(handle) could not be added (Postgres: could not create unique index "influencers_handle_key_hms"), so two influencers could be given the same handle; `hms-admin migrate` tries to add it again.',
              `influencers: row-level security is enabled; it applies to role "${role}": hms-admin reads and changes only the rows its policies allow, and audits only those.`,
            ])
            expect((await listInfluencers(app.db)).map((i) => i.name)).toEqual(['Ann'])
          } finally {
            await app.close()
          }
          expect(await fingerprintRows(db, 'public', 'influencers', before.columns)).toEqual(before)
        } finally {
          await admin.close()
          await backend.teardown()
          const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
          await c.connect()
          await c.query(`drop role if exists ${role}`).finally(() => c.end())
        }
      },
      SLOW,
    )
  },
)
