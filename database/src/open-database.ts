import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { DEFAULT_SCHEMA, SCHEMA_NAME_PATTERN } from '@hms-admin/core'
import type { Database } from './database.js'
import { DatabaseUnavailableError, isDatabaseUnavailableError } from './errors.js'
import { closeEmbeddedOwner, ensureEmbeddedServer } from './embedded-server.js'

/** How to reach the database: a Postgres URL, or else embedded PGlite in dataDir (default ./.hms-admin). */
export interface DatabaseOptions {
  databaseUrl?: string
  dataDir?: string
  poolSize?: number
  statementTimeoutMs?: number
  connectTimeoutMs?: number
  /** Do not check the connection on open (default false: open fails fast with DatabaseUnavailableError). */
  connectLazily?: boolean
  /** Embedded: when this process hosts the database, a client idle in a transaction this long is disconnected (default 30 s). */
  idleInTransactionTimeoutMs?: number
  /** Embedded: receives one-line warnings, e.g. that a too-open data directory was made private (default: process.emitWarning). */
  onWarning?: (message: string) => void
  /**
   * The schema holding the app's tables (default public). Every query names it (kysely's withSchema,
   * quoted identifiers in raw SQL), never a search_path: poolers refuse startup parameters.
   */
  schema?: string
}

/** An open database. */
export interface DatabaseHandle {
  db: Kysely<Database>
  backend: 'postgres' | 'pglite'
  /** The schema every query names. */
  schema: string
  /** Where it is, without password. */
  label: string
  /** LISTEN on channel; re-subscribes after connection loss (then calls onReconnect). Returns unsubscribe. */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

/** The channel the change triggers notify on. */
export const CHANGES_CHANNEL = 'hms_admin_changes'

function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    u.search = ''
    return u.toString()
  } catch {
    return 'postgres (unparsable url)'
  }
}

/** Opens the database described by options. Throws DatabaseUnavailableError when it cannot be reached. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000
  const embedded = !options.databaseUrl
  const dataDir = options.dataDir ?? './.hms-admin'
  const embeddedOptions = {
    ...(options.idleInTransactionTimeoutMs ? { idleInTransactionMs: options.idleInTransactionTimeoutMs } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  }
  let clientConfig: () => Promise<pg.ClientConfig>
  if (embedded) {
    clientConfig = async () => {
      const { socketDir } = await ensureEmbeddedServer(dataDir, embeddedOptions)
      return {
        host: socketDir,
        port: 5432,
        user: 'postgres',
        database: 'postgres',
        connectionTimeoutMillis: Math.max(connectTimeoutMs, 10_000),
      }
    }
  } else {
    const base: pg.ClientConfig = { connectionString: options.databaseUrl, connectionTimeoutMillis: connectTimeoutMs }
    if (options.statementTimeoutMs) base.statement_timeout = options.statementTimeoutMs
    clientConfig = async () => base
  }
  let pool: pg.Pool | null = null
  let poolConfigured: Promise<pg.Pool> | null = null
  const makePool = (cfg: pg.ClientConfig): pg.Pool => {
    const made = new pg.Pool({ ...cfg, max: options.poolSize ?? (embedded ? 4 : 10) })
    made.on('error', () => {
      /* an idle client died; the pool replaces it */
    })
    pool = made
    return made
  }
  const getPool = () => (poolConfigured ??= clientConfig().then(makePool))
  // Embedded: when the owner goes away, connecting fails; ensure a server (maybe take over) and retry.
  // Only connecting is retried: a statement that was sent may have run, so its failure is final.
  const guarded = new WeakSet<pg.PoolClient>()
  // A checked-out client whose socket dies emits 'error' with no pool listener attached, which would
  // crash the process; the failing query rejects with the same error, so the event itself is noise.
  const guard = (c: pg.PoolClient): pg.PoolClient => {
    if (!guarded.has(c)) {
      guarded.add(c)
      c.on('error', () => undefined)
    }
    return c
  }
  const connect = async (): Promise<pg.PoolClient> => {
    const p = await getPool()
    try {
      return guard(await p.connect())
    } catch (err) {
      if (!embedded || !isDatabaseUnavailableError(err)) throw err
      const cfg = await clientConfig()
      if (cfg.host === p.options.host) return guard(await p.connect())
      // A new owner of a long data-dir path serves from a new private socket directory.
      const fresh = makePool(cfg)
      poolConfigured = Promise.resolve(fresh)
      void p.end().catch(() => undefined)
      return guard(await fresh.connect())
    }
  }
  const schema = options.schema ?? DEFAULT_SCHEMA
  if (!SCHEMA_NAME_PATTERN.test(schema)) throw new TypeError('The schema name is not a plain identifier.')
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: async () =>
        ({
          connect,
          end: async () => {
            await pool?.end()
          },
        }) as never,
    }),
  }).withSchema(schema)
  const label = embedded ? `embedded PGlite in ${dataDir}` : redact(options.databaseUrl!)
  const listeners = new Set<() => Promise<void>>()
  const handle: DatabaseHandle = {
    db,
    backend: embedded ? 'pglite' : 'postgres',
    schema,
    label,
    async listen(channel, onNotify, onReconnect) {
      let stopped = false
      let client: pg.Client | null = null
      let timer: NodeJS.Timeout | null = null
      const subscribe = async (): Promise<void> => {
        const c = new pg.Client(await clientConfig())
        c.on('notification', (n) => {
          if (n.channel === channel) onNotify(n.payload ?? '')
        })
        c.on('error', () => {
          /* 'end' follows */
        })
        c.on('end', () => {
          if (!stopped) scheduleReconnect(250)
        })
        await c.connect()
        await c.query(`LISTEN "${channel.replaceAll('"', '""')}"`)
        client = c
      }
      const scheduleReconnect = (delay: number) => {
        client = null
        if (stopped || timer) return
        timer = setTimeout(() => {
          timer = null
          subscribe().then(
            () => onReconnect?.(),
            () => scheduleReconnect(Math.min(delay * 2, 5000)),
          )
        }, delay)
      }
      try {
        await subscribe()
      } catch (err) {
        throw toUnavailable(err, label)
      }
      const unsubscribe = async () => {
        stopped = true
        if (timer) clearTimeout(timer)
        listeners.delete(unsubscribe)
        const c = client as pg.Client | null
        client = null
        await c?.end().catch(() => undefined)
      }
      listeners.add(unsubscribe)
      return unsubscribe
    },
    async close() {
      for (const l of [...listeners]) await l()
      await db.destroy()
      if (embedded) await closeEmbeddedOwner(dataDir)
    },
  }
  if (!options.connectLazily) {
    try {
      const c = await connect()
      try {
        await c.query('select 1')
      } finally {
        c.release()
      }
    } catch (err) {
      await handle.close().catch(() => undefined)
      throw toUnavailable(err, label)
    }
  }
  return handle
}

function toUnavailable(err: unknown, label: string): unknown {
  if (err instanceof DatabaseUnavailableError || !isDatabaseUnavailableError(err)) return err
  return new DatabaseUnavailableError(`The database ${label} cannot be reached.`, { cause: err })
}
