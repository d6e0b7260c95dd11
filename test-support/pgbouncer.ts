import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './private-postgres.js'

/** A PgBouncer of the test's own in front of a Postgres server, in transaction mode. */
export interface TestPgBouncer {
  /** The pooled URL of `database` (trust authentication, user postgres). */
  url(database: string): string
  port: number
  /** Stops it at once (SIGTERM: PgBouncer's immediate shutdown, every client connection cut). */
  stop(): Promise<void>
  /** Starts it again on the same port. */
  start(): Promise<void>
  /** Stops it and removes its files. */
  close(): Promise<void>
}

function binary(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/sbin', '/usr/local/sbin')) {
    const file = path.join(dir, 'pgbouncer')
    if (dir && existsSync(file)) return file
  }
  throw new Error('PgBouncer is not installed: install the pgbouncer package (apt-get install pgbouncer).')
}

/** uid and gid of the `postgres` OS user: PgBouncer refuses to run as root. */
function unprivileged(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim())
  return { uid: id('-u'), gid: id('-g') }
}

/**
 * Starts Debian's `pgbouncer` on a free loopback port in front of `target` (a postgres:// URL; every
 * database name is forwarded), with the stock settings but `pool_mode = transaction`, as Supabase's
 * pooled port and most hosted poolers run. Resolves once it accepts connections.
 */
export async function startPgBouncer(target: string): Promise<TestPgBouncer> {
  const file = binary()
  const user = unprivileged()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-pgbouncer-'))
  if (user) chownSync(dir, user.uid, user.gid)
  const port = await freePort()
  const upstream = new URL(target)
  const ini = path.join(dir, 'pgbouncer.ini')
  writeFileSync(path.join(dir, 'users.txt'), '"postgres" ""\n')
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      '',
    ].join('\n'),
  )
  let child: ChildProcess | null = null
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(file, [ini], { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) })
      child = proc
      let log = ''
      proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        if (log.length < 10_000) log += chunk
        if (/process up/.test(chunk)) resolve()
      })
      proc.once('error', reject)
      proc.once('exit', (code) => {
        if (child === proc) child = null
        reject(new Error(`pgbouncer exited (${code}) before it was up: ${log.trim().split('\n').pop() ?? ''}`))
      })
    })
  const stop = async () => {
    const proc = child
    child = null
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGTERM')
    await exited
  }
  const killOnExit = () => (child as ChildProcess | null)?.kill('SIGKILL')
  process.once('exit', killOnExit)
  try {
    await start()
  } catch (error) {
    process.off('exit', killOnExit)
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop,
    start,
    async close() {
      await stop()
      process.off('exit', killOnExit)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A fresh database reachable directly and through a PgBouncer of its own. */
export interface PooledDatabase {
  /** A direct (session) connection to the database. */
  directUrl: string
  /** The same database through PgBouncer in transaction mode. */
  pooledUrl: string
  bouncer: TestPgBouncer
  /** Creates another empty database on the same server (direct URL), dropped by close(). */
  createDatabase(): Promise<string>
  close(): Promise<void>
}

/**
 * Creates a database on the TEST_DATABASE_URL server (or, without it, on a private Postgres of the
 * test's own) and starts a PgBouncer in front of it.
 */
export async function startPooledDatabase(): Promise<PooledDatabase> {
  const { default: pg } = await import('pg')
  const { randomBytes } = await import('node:crypto')
  const { startPrivatePostgres } = await import('./private-postgres.js')
  const server = process.env.TEST_DATABASE_URL ? null : await startPrivatePostgres()
  const admin = process.env.TEST_DATABASE_URL ?? server!.url
  const created: string[] = []
  const adminQuery = async (text: string) => {
    const c = new pg.Client({ connectionString: admin })
    await c.connect()
    try {
      await c.query(text)
    } finally {
      await c.end()
    }
  }
  const urlOf = (name: string) => {
    const u = new URL(admin)
    u.pathname = `/${name}`
    return u.toString()
  }
  const createDatabase = async () => {
    const name = `hms_pool_${randomBytes(6).toString('hex')}`
    await adminQuery(`CREATE DATABASE ${name}`)
    created.push(name)
    return urlOf(name)
  }
  const directUrl = await createDatabase()
  const bouncer = await startPgBouncer(admin)
  return {
    directUrl,
    pooledUrl: bouncer.url(new URL(directUrl).pathname.slice(1)),
    bouncer,
    createDatabase,
    async close() {
      await bouncer.close()
      for (const name of created) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await server?.close()
    },
  }
}
