import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Kysely } from 'kysely'
import { openDatabase, type DatabaseHandle, type DatabaseOptions } from '@hms-admin/database'
import { migrateToLatest } from '@hms-admin/migrations'

/** One database backend for tests. setup() gives options for a fresh, isolated database. */
export interface TestBackend {
  name: 'pglite' | 'postgres'
  /** Set by setup(). */
  options: DatabaseOptions
  setup(): Promise<DatabaseOptions>
  teardown(): Promise<void>
}

// initdb takes seconds: do it once per test process and copy the fresh data dir for each setup().
let template: Promise<string> | null = null
function pgliteTemplate(): Promise<string> {
  return (template ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hms-template-'))
    const h = await openDatabase({ dataDir: dir })
    await h.close()
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    return path.join(dir, 'pgdata')
  })())
}

function pgliteBackend(): TestBackend {
  let dir: string | null = null
  const b: TestBackend = {
    name: 'pglite',
    options: {},
    async setup() {
      const pgdata = await pgliteTemplate()
      dir = mkdtempSync(path.join(os.tmpdir(), 'hms-test-'))
      cpSync(pgdata, path.join(dir, 'pgdata'), { recursive: true })
      b.options = { dataDir: dir }
      return b.options
    },
    async teardown() {
      if (dir) rmSync(dir, { recursive: true, force: true })
      dir = null
    },
  }
  return b
}

function postgresBackend(adminUrl: string): TestBackend {
  let name: string | null = null
  const b: TestBackend = {
    name: 'postgres',
    options: {},
    async setup() {
      name = `hms_test_${randomBytes(6).toString('hex')}`
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      try {
        await c.query(`CREATE DATABASE ${name}`)
      } finally {
        await c.end()
      }
      const u = new URL(adminUrl)
      u.pathname = `/${name}`
      b.options = { databaseUrl: u.toString() }
      return b.options
    },
    async teardown() {
      if (!name) return
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await c.end()
      }
      name = null
    },
  }
  return b
}

/** The backends to run database tests against: pglite always, postgres when TEST_DATABASE_URL is set. */
export function testBackends(): TestBackend[] {
  const url = process.env.TEST_DATABASE_URL
  return url ? [pgliteBackend(), postgresBackend(url)] : [pgliteBackend()]
}

/** Opens the backend's database (after setup()) and migrates it to latest. */
export async function openMigrated(options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = await openDatabase(options)
  await migrateToLatest(handle.db as unknown as Kysely<any>)
  return handle
}
