import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addHandouts, openDatabase } from '@hms-admin/database'
import { startServer } from '@hms-admin/server'
import { startPrivatePostgres, type PrivatePostgres } from '../../test-support/private-postgres.js'
import { cli } from './harness.js'

// Issue 13: least privilege on a Postgres server. A private server of the test's own (roles are
// cluster-wide) gets three roles; `migrate --print-grants --apply` grants each its kind; then
// `serve` and `audit` run as the restricted roles, and a write as the read-only role fails cleanly.

let server: PrivatePostgres
let admin: pg.Client
const asRole = (role: string) => server.url.replace('postgres://postgres@', `postgres://${role}@`)

beforeAll(async () => {
  server = await startPrivatePostgres()
  admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  for (const role of ['hms_op', 'hms_ro', 'hms_srv']) await admin.query(`create role ${role} login`)
  expect((await cli({ databaseUrl: server.url }, ['migrate'])).code).toBe(0)
}, 180_000)

afterAll(async () => {
  await admin?.end()
  await server?.close()
})

/** What a role may do, as Postgres reports it: table privileges and column privileges. */
async function privilegesOf(role: string): Promise<string[]> {
  const tables = await admin.query<{ p: string }>(
    `select table_name || ': ' || privilege_type as p from information_schema.role_table_grants where grantee = $1`,
    [role],
  )
  const columns = await admin.query<{ p: string }>(
    `select table_name || '.' || column_name || ': ' || privilege_type as p from information_schema.column_privileges
       where grantee = $1 and (table_name, privilege_type) not in
         (select table_name, privilege_type from information_schema.role_table_grants where grantee = $1)`,
    [role],
  )
  return [...tables.rows, ...columns.rows].map((r) => r.p).sort()
}

describe('migrate --print-grants', () => {
  it('prints the SQL for a role without running it, and refuses an unknown kind or a bad name with exit 2', async () => {
    const printed = await cli({ databaseUrl: server.url }, ['migrate', '--print-grants', '--role', 'serve', 'hms_srv'])
    expect(printed.code).toBe(0)
    expect(printed.stdout).toContain('GRANT SELECT ("id", "name", "handle"')
    expect(printed.stdout).toContain('BEGIN;')
    expect(await privilegesOf('hms_srv')).toEqual([])
    const kind = await cli(null, ['migrate', '--print-grants', '--role', 'admin', 'x'])
    expect(kind.code).toBe(2)
    expect(kind.stderr).toContain('--role must be operator, read-only or serve.')
    const name = await cli(null, ['migrate', '--print-grants', '--role', 'serve', 'x; drop table influencers'])
    expect(name.code).toBe(2)
    expect(name.stderr).not.toContain('drop table')
  })

  it('applies exactly the grants of each kind', async () => {
    for (const [kind, role] of [
      ['operator', 'hms_op'],
      ['read-only', 'hms_ro'],
      ['serve', 'hms_srv'],
    ]) {
      const r = await cli({ databaseUrl: server.url }, ['migrate', '--print-grants', '--role', kind!, role!, '--apply'])
      expect(r.code, r.stderr).toBe(0)
    }
    const secretColumns = ['hms_auth_token', 'room_code', 'hms_viewer_auth_token', 'hms_viewer_room_code']
    const srv = await privilegesOf('hms_srv')
    // Its only write: counting hand-outs (an upsert that adds to count).
    expect(srv.filter((p) => !p.endsWith(': SELECT'))).toEqual([
      'hms_viewer_handouts.count: UPDATE',
      'hms_viewer_handouts: INSERT',
    ])
    expect(srv).toContain('hms_admin_migrations.name: SELECT')
    for (const c of secretColumns) expect(srv).toContain(`influencers.${c}: SELECT`)
    expect(srv.some((p) => p.startsWith('hms_credential_events'))).toBe(false)
    const ro = await privilegesOf('hms_ro')
    expect(ro.filter((p) => !p.endsWith(': SELECT'))).toEqual([])
    expect(ro).toContain('hms_credential_events: SELECT')
    expect(ro).toContain('hms_viewer_handouts: SELECT')
    const op = await privilegesOf('hms_op')
    expect(op).toContain('influencers.hms_viewer_auth_token: UPDATE')
    expect(op).toContain('hms_credential_events: INSERT')
    expect(op.some((p) => p.endsWith(': DELETE') || p.endsWith(': TRUNCATE'))).toBe(false)
  })
})

describe('the restricted roles at work', () => {
  it('lets the operator write, the read-only role audit, and serve hand out credentials as the serve role', async () => {
    const add = await cli({ databaseUrl: asRole('hms_op') }, ['influencer', 'add', 'rolecheck', '--name', 'Role Check'])
    expect(add.code, `add: ${add.stderr}`).toBe(0)
    const audit = await cli({ databaseUrl: asRole('hms_ro') }, ['audit', '--format', 'json'])
    expect([0, 1], `audit: ${audit.stderr}`).toContain(audit.code)
    expect(JSON.parse(audit.stdout)).toBeTruthy()
    const running = await startServer({
      database: { databaseUrl: asRole('hms_srv') },
      port: 0,
      rateLimitPerMinute: 0,
    })
    try {
      const res = await fetch(`${running.url}/api/live-streams`)
      expect(res.status).toBe(200)
    } finally {
      await running.close()
    }
    // The serve role counts hand-outs (twice: the second adds to the row), cannot write credentials,
    // nor read the change history.
    const srv = await openDatabase({ databaseUrl: asRole('hms_srv') })
    try {
      const session = await admin.query<{ id: string }>(
        `insert into live_stream_sessions (id, influencer_id, status)
           select gen_random_uuid(), id, 'live' from influencers where handle = 'rolecheck' returning id`,
      )
      const minute = new Date('2026-12-02T10:00:00Z')
      const counted = { sessionId: session.rows[0]!.id, minute, status: 200, count: 2 }
      await addHandouts(srv.db, [counted])
      await addHandouts(srv.db, [counted])
      const total = await admin.query('select count::int as n from hms_viewer_handouts where session_id = $1', [
        counted.sessionId,
      ])
      expect(total.rows).toEqual([{ n: 4 }])
      await expect(sql`update influencers set hms_viewer_room_code = null`.execute(srv.db)).rejects.toMatchObject({
        code: '42501',
      })
      await expect(sql`select * from hms_credential_events`.execute(srv.db)).rejects.toMatchObject({ code: '42501' })
    } finally {
      await srv.close()
    }
  }, 120_000)

  it('fails a write as the read-only role with one clear sentence and exit 3, no stack trace', async () => {
    const r = await cli({ databaseUrl: asRole('hms_ro') }, ['influencer', 'add', 'nope', '--name', 'Nope'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^Error: The database refused: permission denied for table influencers\.\nHint: /)
    expect(r.all).not.toMatch(/\n\s+at /)
    const count = await admin.query(`select count(*)::int as n from influencers where handle = 'nope'`)
    expect(count.rows[0].n).toBe(0)
  })
})
