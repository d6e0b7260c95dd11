import { startPgBouncer, type TestPgBouncer } from './start-pgbouncer.mjs'

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
