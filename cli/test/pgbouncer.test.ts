import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
