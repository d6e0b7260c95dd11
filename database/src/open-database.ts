import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { DEFAULT_SCHEMA, SCHEMA_NAME_PATTERN } from '@hms-admin/core'
import type { Database } from './database.js'
import { DatabaseUnavailableError, isDatabaseUnavailableError } from './errors.js'
import { closeEmbeddedOwner, ensureEmbeddedServer } from './embedded-server.js'
import { CLOSING_NOT_RUN } from './wire-server.js'

/** How to reach the database: a Postgres URL, or else embedded PGlite in dataDir (default ./.hms-admin). */
export interface DatabaseOptions {
  databaseUrl?: string
  dataDir?: string
  poolSize?: number
  /**
   * Bound on each query, kept by the client (pg's query_timeout: the connection of a query that
   * overran is discarded). Never sent as a startup parameter, which poolers refuse.
   */
  statementTimeoutMs?: number
  connectTimeoutMs?: number
  /**
   * A direct (session) connection used only for LISTEN, when databaseUrl goes through a pooler in
   * transaction mode (through which LISTEN receives nothing). Default: databaseUrl.
   */
  listenUrl?: string
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
  /**
   * LISTEN on the channels, on one connection (listenUrl when given); re-subscribes after connection
   * loss (then calls onReconnect). Returns unsubscribe.
   */
  listen(
    channels: string | readonly string[],
    onNotify: (payload: string, channel: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>
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
  let listenConfig: () => Promise<pg.ClientConfig>
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
    // No statement_timeout or options here: they are startup parameters, which PgBouncer and
    // Supabase's pooler refuse. query_timeout is kept by the client.
    const base: pg.ClientConfig = {
      connectionString: options.databaseUrl,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
    }
    if (options.statementTimeoutMs) base.query_timeout = options.statementTimeoutMs
    clientConfig = async () => base
  }
  listenConfig = options.listenUrl
    ? async () => ({ connectionString: options.listenUrl, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true })
    : clientConfig
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
  const rawConnect = async (): Promise<pg.PoolClient> => {
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
  // A statement whose connection dropped is never retried: it may have run (an insert must not run
  // twice). Postgres: a query that overran query_timeout still runs on its connection, which is
  // therefore discarded on release instead of going back to the pool.
  // The one exception: an embedded owner that closes says which queued statements never ran, and
  // those go to the next owner (at most a few hand-overs in a row).
  const connect = async (): Promise<pg.PoolClient> => {
    let client = await rawConnect()
    let overran: Error | null = null
    const wrapper = {
      query: async (text: string, params?: unknown[]) => {
        for (let handOvers = 0; ; handOvers++) {
          try {
            return await client.query(text, params)
          } catch (err) {
            if (isQueryTimeout(err)) overran = err as Error
            if (!embedded || handOvers >= 3 || !isNotRunOnClose(err, client)) throw err
            client.release(err as Error)
            client = await rawConnect()
          }
        }
      },
      release: (err?: Error | boolean) => client.release(overran ?? err),
    }
    return wrapper as unknown as pg.PoolClient
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
    async listen(channels, onNotify, onReconnect) {
      const names = typeof channels === 'string' ? [channels] : [...channels]
      // One simple query: through a pooler, every LISTEN lands on the same server connection.
      const listenSql = names.map((name) => `LISTEN "${name.replaceAll('"', '""')}"`).join('; ')
      let stopped = false
      let client: pg.Client | null = null
      let timer: NodeJS.Timeout | null = null
      const subscribe = async (): Promise<void> => {
        const c = new pg.Client(await listenConfig())
        c.on('notification', (n) => {
          if (names.includes(n.channel)) onNotify(n.payload ?? '', n.channel)
        })
        c.on('error', () => {
          /* 'end' follows */
        })
        c.on('end', () => {
          if (!stopped) scheduleReconnect(250)
        })
        await c.connect()
        await c.query(listenSql)
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

/**
 * The closing owner's answer to a statement it never started (see WireServer.close), or a write
 * that failed because that owner had already closed the socket: it reads nothing after dropping a
 * client, so a statement not fully written never ran. Inside a transaction neither is safe to
 * re-send, because the transaction itself is gone.
 */
function isNotRunOnClose(err: unknown, client: pg.PoolClient): boolean {
  const e = err as { code?: unknown; syscall?: unknown; message?: unknown }
  if (e.code === '57P01') return e.message === CLOSING_NOT_RUN
  return e.code === 'EPIPE' && e.syscall === 'write' && client.getTransactionStatus() === 'I'
}

function isQueryTimeout(err: unknown): boolean {
  return err instanceof Error && /query read timeout/i.test(err.message)
}

function toUnavailable(err: unknown, label: string): unknown {
  if (err instanceof DatabaseUnavailableError || !isDatabaseUnavailableError(err)) return err
  return new DatabaseUnavailableError(`The database ${label} cannot be reached.`, { cause: err })
}
