import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CompiledQuery, sql, type Kysely } from 'kysely'
import { testBackends, openMigrated } from '../../test-support/backends.js'
import { CREDENTIAL_COLUMNS, findSharedSecrets } from '@hms-admin/core'
import { findHoldersOfSecrets } from '../src/bulk-credentials.js'
import { listCredentialEvents } from '../src/credential-events.js'
import {
  addInfluencer,
  findInfluencer,
  updateCredentials,
  streamInfluencers,
  findSharedSecretsInDatabase,
  findSecretsSharedAmong,
  getInfluencer,
  listInfluencers,
} from '../src/influencers.js'
import { startSession, endSession, listLiveStreams, getSessionWithInfluencer } from '../src/sessions.js'
import { CHANGES_CHANNEL, openDatabase, type DatabaseHandle } from '../src/open-database.js'
import { isDatabaseUnavailableError } from '../src/errors.js'
import { isUpToDate, migrateDown, migrateToLatest, migrationStatus } from '@hms-admin/migrations'

describe.each(testBackends())('database on $name', (backend) => {
  let h: DatabaseHandle
  beforeEach(async () => {
    h = await openMigrated(await backend.setup())
  })
  afterEach(async () => {
    await h?.close()
    await backend.teardown()
  })

  it('adds and finds influencers by id, handle and name case-insensitively', async () => {
    const a = await addInfluencer(h.db, { handle: 'alice', name: 'Alice Smith' })
    await addInfluencer(h.db, { handle: 'bob', name: 'Same' })
    await addInfluencer(h.db, { handle: 'carl', name: 'Same' })
    expect(await findInfluencer(h.db, a.id)).toMatchObject({ kind: 'found', influencer: { id: a.id } })
    expect(await findInfluencer(h.db, '@ALICE')).toMatchObject({ kind: 'found', influencer: { id: a.id } })
    expect(await findInfluencer(h.db, 'alice smith')).toMatchObject({ kind: 'found' })
    expect((await findInfluencer(h.db, 'same')).kind).toBe('ambiguous')
    const nf = await findInfluencer(h.db, 'ali')
    expect(nf.kind).toBe('not_found')
    if (nf.kind === 'not_found') expect(nf.suggestions.map((s) => s.handle)).toEqual(['alice'])
  })

  it('lets only one of two writers with the same version win and logs one event per changed field', async () => {
    const a = await addInfluencer(h.db, { handle: 'a', name: 'A' })
    const [r1, r2] = await Promise.all([
      updateCredentials(h.db, {
        influencerId: a.id,
        expectedVersion: 0,
        changes: { viewerToken: 'HMS_one', viewerRoomCode: 'abc-defg-hij' },
        actor: 'w1',
      }),
      updateCredentials(h.db, {
        influencerId: a.id,
        expectedVersion: 0,
        changes: { viewerToken: 'HMS_two' },
        actor: 'w2',
      }),
    ])
    const oks = [r1, r2].filter((r) => r.ok)
    expect(oks).toHaveLength(1)
    expect([r1, r2].filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'conflict' }])
    const row = (await getInfluencer(h.db, a.id))!
    expect(row.credentialsVersion).toBe(1)
    const events = await listCredentialEvents(h.db, { influencerId: a.id })
    const winner = r1.ok ? 'w1' : 'w2'
    expect(events.every((e) => e.actor === winner)).toBe(true)
    expect(events).toHaveLength(r1.ok ? 2 : 1)
    expect(JSON.stringify(events)).not.toContain('HMS_')
    const again = await updateCredentials(h.db, {
      influencerId: a.id,
      expectedVersion: 1,
      changes: { viewerToken: null },
      actor: 'w3',
    })
    expect(again).toEqual({ ok: true, version: 2, changedFields: ['viewerToken'] })
    expect((await getInfluencer(h.db, a.id))!.credentials.viewerToken).toBeNull()
    expect((await listCredentialEvents(h.db, { influencerId: a.id, limit: 1 }))[0]).toMatchObject({
      action: 'clear',
      new_fingerprint: null,
    })
    expect(
      await updateCredentials(h.db, {
        influencerId: '00000000-0000-4000-8000-000000000000',
        expectedVersion: 0,
        changes: {},
        actor: 'x',
      }),
    ).toEqual({ ok: false, reason: 'not_found' })
  })

  it('streams many influencers in id order and finds shared secrets in SQL', async () => {
    await sql`insert into influencers (id, name, handle, hms_auth_token) select gen_random_uuid(), 'n' || g, 'h' || g, case when g <= 2 then 'HMS_shared' end from generate_series(1, 2500) g`.execute(
      h.db,
    )
    let n = 0
    let last = ''
    for await (const r of streamInfluencers(h.db, { batchSize: 500 })) {
      expect(r.id > last).toBe(true)
      last = r.id
      n++
    }
    expect(n).toBe(2500)
    const shared = await findSharedSecretsInDatabase(h.db)
    expect(shared.size).toBe(2)
    expect([...shared.values()][0]).toEqual([{ field: 'broadcasterToken', sharedWithCount: 1 }])
  })

  it('finds secrets shared across influencers and fields, trimmed as core trims, but not one influencer reusing its own', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `0000000${i}-0000-4000-8000-000000000000`)
    const row = (i: number, b: string | null, br: string | null, v: string | null, vr: string | null) =>
      sql`insert into influencers (id, name, handle, hms_auth_token, room_code, hms_viewer_auth_token, hms_viewer_room_code) values (${ids[i]}, ${`n${i}`}, ${`h${i}`}, ${b}, ${br}, ${v}, ${vr})`.execute(
        h.db,
      )
    // Legacy values pasted with spaces, a tab, a form feed or a line break (Windows or Unix).
    await row(0, null, null, ' tok-shared ', null)
    await row(1, null, null, 'tok-shared\r\n', null)
    await row(2, '\ttok-shared\f', null, null, null)
    await row(3, null, 'abc-defg-hij', null, 'abc-defg-hij')
    await row(4, '', '   ', '', '\n')
    await row(5, '', '   ', null, null)
    await row(6, null, 'xyz-defg-hij', null, null)
    await row(7, null, null, null, 'xyz-defg-hij')
    const shared = await findSharedSecretsInDatabase(h.db)
    expect(Object.fromEntries(shared)).toEqual({
      [ids[0]!]: [{ field: 'viewerToken', sharedWithCount: 2 }],
      [ids[1]!]: [{ field: 'viewerToken', sharedWithCount: 2 }],
      [ids[2]!]: [{ field: 'broadcasterToken', sharedWithCount: 2 }],
      [ids[6]!]: [{ field: 'broadcasterRoomCode', sharedWithCount: 1 }],
      [ids[7]!]: [{ field: 'viewerRoomCode', sharedWithCount: 1 }],
    })
    // The endpoint's query for a few influencers gives the same facts as the whole-table one.
    const all = (await listInfluencers(h.db)).map((i) => ({ influencerId: i.id, credentials: i.credentials }))
    expect(Object.fromEntries(await findSecretsSharedAmong(h.db, all))).toEqual(Object.fromEntries(shared))
    expect(await findSecretsSharedAmong(h.db, [])).toEqual(new Map())
    // And core's JavaScript version, which sites without the database use, agrees.
    expect(Object.fromEntries(findSharedSecrets(all))).toEqual(Object.fromEntries(shared))
    // A value typed into set-token or import is matched the same way.
    const holders = await findHoldersOfSecrets(h.db, ['tok-shared'])
    expect(holders.map((x) => x.influencerId).sort()).toEqual([ids[0], ids[1], ids[2]])
  })

  it("finds a stream's shared secrets through the lookup index of each column, not a scan", async () => {
    await sql`insert into influencers (id, name, handle, hms_auth_token) select gen_random_uuid(), 'n' || g, 'h' || g, 'HMS_t' || g from generate_series(1, 50) g`.execute(
      h.db,
    )
    // The very query the endpoint runs, captured as compiled, then explained with its parameters.
    const queries: CompiledQuery[] = []
    const spy = h.db.withPlugin({
      transformQuery: ({ node, queryId }) => {
        queries.push(h.db.getExecutor().compileQuery(node, queryId))
        return node
      },
      transformResult: async ({ result }) => result,
    })
    const credentials = { broadcasterToken: 'HMS_t7', broadcasterRoomCode: 'a', viewerToken: 'b', viewerRoomCode: 'c' }
    await findSecretsSharedAmong(spy, [{ influencerId: 'x', credentials }])
    const query = queries.at(-1)
    const plan = await h.db.transaction().execute(async (tx) => {
      // The table is small enough for a scan to win; without one the planner shows what it can use.
      await sql`set local enable_seqscan = off`.execute(tx)
      const explained = await tx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${query!.sql}`, [...query!.parameters]),
      )
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n')
    })
    for (const column of Object.values(CREDENTIAL_COLUMNS))
      expect(plan).toContain(`hms_admin_influencers_${column}_trimmed`)
  })

  it('starts, lists and ends live sessions joined with their influencer', async () => {
    const a = await addInfluencer(h.db, { handle: 'a', name: 'A' })
    const s = await startSession(h.db, { influencerId: a.id, title: 'Hi' })
    expect((await listLiveStreams(h.db)).map((x) => [x.session.id, x.influencer.handle])).toEqual([[s.id, 'a']])
    expect((await getSessionWithInfluencer(h.db, s.id))?.influencer.id).toBe(a.id)
    await endSession(h.db, s.id)
    expect(await listLiveStreams(h.db)).toEqual([])
  })

  it('delivers change notifications to a listener on another connection', async () => {
    const other = await openDatabase(backend.options)
    try {
      const got: string[] = []
      const stop = await other.listen(CHANGES_CHANNEL, (p) => got.push(p))
      const a = await addInfluencer(h.db, { handle: 'n', name: 'N' })
      await expect.poll(() => got.length, { timeout: 3000 }).toBeGreaterThan(0)
      expect(JSON.parse(got[0]!)).toMatchObject({ table: 'influencers', op: 'insert', id: a.id, influencerId: a.id })
      await stop()
    } finally {
      await other.close()
    }
  })

  it('migrates down and up again and re-running is a no-op', async () => {
    const db = h.db as unknown as Kysely<any>
    expect((await migrateToLatest(db)).results).toEqual([])
    expect(await isUpToDate(db)).toBe(true)
    const last = (
      await sql<{
        name: string
        timestamp: string
      }>`delete from hms_admin_migrations where name = (select max(name) from hms_admin_migrations) returning name, timestamp`.execute(
        db,
      )
    ).rows[0]!
    expect(await isUpToDate(db)).toBe(false)
    await sql`insert into hms_admin_migrations (name, timestamp) values (${last.name}, ${last.timestamp})`.execute(db)
    expect(await isUpToDate(db)).toBe(true)
    await migrateDown(db)
    expect(await isUpToDate(db)).toBe(false)
    const t = await sql<{
      n: number
    }>`select count(*)::int as n from information_schema.tables where table_schema='public' and table_name in ('influencers','live_stream_sessions','hms_credential_events','hms_admin_meta')`.execute(
      db,
    )
    expect(t.rows[0]!.n).toBe(0)
    await migrateToLatest(db)
    expect(await isUpToDate(db)).toBe(true)
    expect((await migrationStatus(db)).every((m) => m.executedAt)).toBe(true)
  })
})

describe('unavailable database', () => {
  it('fails with DatabaseUnavailableError when the server is down', async () => {
    const err = await openDatabase({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
      connectTimeoutMs: 1000,
    }).catch((e: unknown) => e)
    expect(isDatabaseUnavailableError(err)).toBe(true)
    expect((err as Error).name).toBe('DatabaseUnavailableError')
  })
})
