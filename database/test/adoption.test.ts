import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sql, type Kysely } from 'kysely'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { openMigrated, testBackends } from '../../test-support/backends.js'
import { openDatabase, type DatabaseHandle } from '@hms-admin/database'
import { migrateDown, migrateToLatest } from '@hms-admin/migrations'

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
