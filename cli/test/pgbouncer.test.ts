import { randomBytes, randomUUID } from 'node:crypto'
import { jwtVerify } from 'jose'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprintSecret } from '@hms-admin/core'
import { openDatabase } from '@hms-admin/database'
import { migrations } from '@hms-admin/migrations'
import { startPooledDatabase, type PooledDatabase } from '../../test-support/pgbouncer.js'
import { mintToken } from '../../test-support/tokens.js'
import { runServe } from '../src/commands/serve.js'
import { cli } from './harness.js'

// Every command through a real PgBouncer in transaction mode (as Supabase's pooled port 6543), on
// a database it creates: no startup parameter, no session state between transactions, migrations
// under a transaction-scoped lock.

let pool: PooledDatabase
beforeAll(async () => {
  pool = await startPooledDatabase()
})
afterAll(async () => {
  await pool?.close()
})

describe('hms-admin through PgBouncer in transaction mode', () => {
  it('runs every command on the pooled URL', async () => {
    const db = { databaseUrl: pool.pooledUrl }
    const ok = async (argv: string[], stdin?: string) => {
      const r = await cli(db, argv, stdin === undefined ? {} : { stdin })
      expect({ argv, code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 })
      return r
    }
    // Migrations at once: one applies everything, the others wait for its lock and find nothing to do.
    const runs = await Promise.all([1, 2, 3, 4].map(() => ok(['--json', 'migrate'])))
    const applied = runs.flatMap((r) => JSON.parse(r.stdout).applied as string[])
    expect(applied.sort()).toEqual(Object.keys(migrations).sort())
    await ok(['migrate'])
    const status = JSON.parse((await ok(['--json', 'migrate', '--status'])).stdout).migrations as {
      executedAt: string | null
    }[]
    expect(status.filter((m) => m.executedAt === null)).toEqual([])
    await ok(['influencer', 'add', 'pooled', '--name', 'Pooled Person'])
    expect((await ok(['influencer', 'list'])).stdout).toContain('pooled')
    await ok(['set-token', 'pooled', '--viewer-token', '-'], await mintToken())
    await ok(['set-token', 'pooled', '--viewer-room-code', 'poo-ledd-roo'])
    expect((await ok(['show', 'pooled'])).stdout).toContain('poo')
    await ok(['list'])
    await ok(['audit', '--fail-on', 'never'])
    const history = JSON.parse((await ok(['--json', 'history', 'pooled'])).stdout).events as unknown[]
    expect(history.length).toBeGreaterThanOrEqual(2)
    const session = JSON.parse((await ok(['--json', 'session', 'start', 'pooled', '--title', 'Pool'])).stdout)
    expect((await ok(['session', 'list'])).stdout).toContain(session.id)
    await ok(['session', 'end', session.id])
    await ok(['clear-token', 'pooled', '--viewer'])
    // Written through the pool, read back directly: the changes are there.
    const direct = await openDatabase({ databaseUrl: pool.directUrl })
    try {
      const { getSessionWithInfluencer } = await import('@hms-admin/database')
      const stored = await getSessionWithInfluencer(direct.db, session.id)
      expect(stored).toMatchObject({ session: { status: 'ended' }, influencer: { handle: 'pooled' } })
      expect(stored?.influencer.credentials.viewerToken).toBeNull()
    } finally {
      await direct.close()
    }
  }, 120_000)

  describe('rotate, import, export and migrate --print-grants --apply', () => {
    let directUrl = ''
    const pooled = { databaseUrl: '' }
    const run = async (argv: string[], o: { stdin?: string; env?: Record<string, string> } = {}) => {
      const r = await cli(pooled, argv, o)
      expect({ argv, code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 })
      return r
    }
    /** One query on the direct connection: what the pooled commands left in the database. */
    const direct = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
      const client = new pg.Client({ connectionString: directUrl })
      await client.connect()
      try {
        return (await client.query<R>(text, values)).rows
      } finally {
        await client.end()
      }
    }
    const secret = 'pooled-rotate-secret-0123456789abcdef0123'
    const key = '65f2a1c4e8b9d0f1a2b3c4d5'
    const tokens = { expiring: '', other: '' }
    beforeAll(async () => {
      directUrl = await pool.createDatabase()
      pooled.databaseUrl = pool.bouncer.url(new URL(directUrl).pathname.slice(1))
      const soon = Math.floor(Date.now() / 1000) + 2 * 86400
      tokens.expiring = await mintToken({ access_key: key, exp: soon, user_id: 'guest-p', room_id: 'r-p' }, { secret })
      tokens.other = await mintToken({ user_id: 'guest-q' })
      await run(['migrate'])
    })

    it('imports in one transaction, then rotates with the same claims', async () => {
      const imported = await run(['--json', 'import', '--file', '-', '--create-missing'], {
        stdin: `influencer,viewer_token,viewer_room_code\npa,${tokens.expiring},paa-bcde-fgh\npb,${tokens.other},pbb-bcde-fgh\n`,
      })
      expect(JSON.parse(imported.stdout).written).toEqual({ values: 4, influencers: 2, created: 2 })
      const env = { HMS_ACCESS_KEY: key, HMS_SECRET: secret }
      const rotated = await run(['--json', 'rotate', '--influencer', 'pa'], { env })
      expect(JSON.parse(rotated.stdout).rotated).toHaveLength(1)
      const rows = await direct<{ handle: string; token: string; version: number }>(
        'select handle, hms_viewer_auth_token as token, hms_credentials_version as version from influencers order by handle',
      )
      expect(rows.map((r) => [r.handle, r.version])).toEqual([
        ['pa', 2],
        ['pb', 1],
      ])
      expect(rows[1]!.token).toBe(tokens.other)
      expect(rows[0]!.token).not.toBe(tokens.expiring)
      const renewed = await jwtVerify(rows[0]!.token, new TextEncoder().encode(secret))
      expect(renewed.payload).toMatchObject({ access_key: key, user_id: 'guest-p', room_id: 'r-p' })
      expect(
        await direct('select action, count(*)::int as n from hms_credential_events group by action order by action'),
      ).toEqual([
        { action: 'import', n: 4 },
        { action: 'rotate', n: 1 },
      ])
    })

    it('exports the inventory (fingerprints, never values)', async () => {
      await direct(`insert into influencers (id, name, handle, hms_viewer_auth_token) values ($1, 'Px', 'px', $2)`, [
        randomUUID(),
        tokens.other,
      ])
      const exported = await run(['--json', 'export'])
      const inventory = JSON.parse(exported.stdout).influencers as { handle: string }[]
      expect(inventory.map((i) => i.handle)).toContain('px')
      expect(exported.stdout).toContain(fingerprintSecret(tokens.other))
      expect(exported.stdout).not.toContain(tokens.other.split('.')[2])
    })

    it('applies the grants of a role (roles are cluster-wide: one of its own, dropped after)', async () => {
      const role = `hms_pool_ro_${randomBytes(4).toString('hex')}`
      await direct(`create role ${role}`)
      try {
        await run(['migrate', '--print-grants', '--role', 'read-only', role, '--apply'])
        const granted = await direct(
          'select table_name, privilege_type from information_schema.role_table_grants where grantee = $1 order by 1',
          [role],
        )
        expect(granted).toContainEqual({ table_name: 'hms_credential_events', privilege_type: 'SELECT' })
      } finally {
        await direct(`drop owned by ${role}`).catch(() => {})
        await direct(`drop role if exists ${role}`)
      }
    })
  })

  it('serves through the pooled URL with --listen-url, and refuses --listen-url without a Postgres database', async () => {
    let stdout = ''
    let stderr = ''
    let onInstructions: () => void = () => {}
    const instructions = new Promise<void>((resolve) => (onInstructions = resolve))
    let stop: () => void = () => {}
    const exit = runServe(
      {
        stdout: {
          write: (text: string) => {
            stdout += text
            if (/Press Ctrl\+C/.test(stdout)) onInstructions()
            return true
          },
        },
        stderr: { write: (text: string) => (stderr += text) },
        env: { HMS_ADMIN_LISTEN_URL: pool.directUrl },
      },
      { port: 0, databaseUrl: pool.pooledUrl, cacheMaxAge: '10s', until: new Promise<void>((r) => (stop = r)) },
    )
    await Promise.race([instructions, exit])
    const url = /Listening on (http:\/\/\S+)/.exec(stdout)?.[1]
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true, cache: 'on' })
    stop()
    expect(await exit).toBe(0)
    expect(stderr).toMatch(/listening for changes.*cache on/)

    const deps = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} }
    await expect(runServe(deps, { port: 0, dataDir: '/nonexistent', listenUrl: pool.directUrl })).rejects.toMatchObject(
      { exitCode: 2, message: expect.stringContaining('--listen-url needs a Postgres database') },
    )
    await expect(runServe(deps, { port: 0, databaseUrl: pool.pooledUrl, cacheMaxAge: 'soon' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('--cache-max-age must be'),
    })
    await expect(runServe(deps, { port: 0, databaseUrl: pool.pooledUrl, readUrl: 'mysql://x' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('--read-url must be'),
    })
  }, 60_000)
})
