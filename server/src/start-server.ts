import { createServer, type Server } from 'node:http'
import { Server as NetServer, type AddressInfo } from 'node:net'
import { adoptionWarnings, isUpToDate, migrateToLatest, type MigrateResult } from '@hms-admin/migrations'
import type { Kysely } from 'kysely'
import { addHandouts, openDatabase } from '@hms-admin/database'
import { apiErrorBody } from './api-error.js'
import { createDatabaseStore, type ServeDatabase } from './create-database-store.js'
import { createRequestHandler, type RequestHandlerStats, type ViewerRequestHandler } from './create-request-handler.js'
import { createHandoutCounter } from './handout-counter.js'
import { seedDemo, type SeedDemoResult } from './seed-demo.js'

/** A database handle as opened by @hms-admin/database's `openDatabase`. */
export interface ServeDatabaseHandle extends ServeDatabase {
  backend?: string
  /** The schema holding the app's tables (default public). */
  schema?: string
  label?: string
  close(): Promise<void>
}

/** Connection options as taken by `openDatabase`. */
export interface ServeDatabaseOptions {
  databaseUrl?: string
  dataDir?: string
  statementTimeoutMs?: number
  connectTimeoutMs?: number
  poolSize?: number
  /** A direct (session) connection used only for LISTEN when databaseUrl goes through a pooler (`--listen-url`). */
  listenUrl?: string
  /** A read replica for the hot reads (`--read-url`); LISTEN and heartbeats stay on the primary. */
  readUrl?: string
  /** Embedded: receives one-line warnings (a too-open data directory was made private). */
  onWarning?: (message: string) => void
  /** The schema holding the app's tables (default public). */
  schema?: string
}

/** Options of `startServer`. */
export interface StartServerOptions {
  /** An open handle (kept open on close) or the options to open one (closed on close). */
  database: ServeDatabaseHandle | ServeDatabaseOptions
  /** Opens the database (default: @hms-admin/database's `openDatabase`). */
  openDatabase?: (options: ServeDatabaseOptions) => Promise<ServeDatabaseHandle>
  /** Applies migrations (default: @hms-admin/migrations' `migrateToLatest`). */
  migrate?: (db: ServeDatabase['db'], schema?: string) => Promise<unknown>
  port?: number
  host?: string
  allowOrigins?: readonly string[]
  allowBroadcasterFallback?: boolean
  rateLimitPerMinute?: number
  demo?: boolean
  widgetDir?: string
  /** Receives `Listening on http://HOST:PORT` and notable events (no secrets). */
  log?: (line: string) => void
  /** Called with each change notification's payload once the cached answers it affects are dropped. */
  onChange?: (payload: string) => void
  /** Time given to in-flight requests on close before connections are cut (default 10 s). */
  shutdownGraceMs?: number
  /** No answer is served from memory longer than this (default 30 s, `--cache-max-age`). */
  cacheMaxAgeMs?: number
  /** How often a heartbeat NOTIFY proves that change notifications arrive (default 2 s). */
  heartbeatMs?: number
  /** Serve `GET /metrics` (Prometheus text) on the main port (`--metrics`). */
  metrics?: boolean
  /** Serve `GET /metrics` on its own port instead (`--metrics-port`; 0 picks a free one). */
  metricsPort?: number
  /** How often the hand-out counts are written (default 10 s: at most one write per 10 s). */
  handoutFlushMs?: number
  /** Count viewer-credential answers (default true; false is the baseline of `npm run bench`). */
  countHandouts?: boolean
}

/** A running server. */
export interface RunningServer {
  url: string
  server: Server
  /** What the demo seeding did (only with `demo`). */
  demo: SeedDemoResult | null
  stats(): RequestHandlerStats
  /** The URL of the separate metrics server (`metricsPort`), else null. */
  metricsUrl: string | null
  /** Writes the hand-out counts now (tests; serve writes them every `handoutFlushMs`). */
  flushHandouts(): Promise<void>
  /** Stops accepting, lets in-flight requests finish, then closes the database it opened. */
  close(): Promise<void>
}

function isHandle(database: StartServerOptions['database']): database is ServeDatabaseHandle {
  return typeof (database as ServeDatabaseHandle).listen === 'function'
}

async function defaultMigrate(db: ServeDatabase['db'], schema?: string): Promise<MigrateResult> {
  // biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any> (frozen in time)
  const any = db as unknown as Kysely<any>
  // Checked first: the serve role may read the migration names but not take the migration lock.
  if (!(await isUpToDate(any, { schema }))) return migrateToLatest(any, { schema })
  const warnings = await adoptionWarnings(any, schema ?? 'public').catch(() => [])
  return { results: [], warnings }
}

/**
 * Starts `hms-admin serve`: opens the database (embedded unless a URL is given), applies the
 * migrations, seeds the demo data with `demo` on an empty database, and listens.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => {})
  const { database } = options
  const owned = !isHandle(database)
  const open = options.openDatabase ?? (openDatabase as (options: ServeDatabaseOptions) => Promise<ServeDatabaseHandle>)
  const { readUrl, ...primary } = owned ? database : {}
  const handle = owned ? await open({ statementTimeoutMs: 2000, ...primary }) : database
  let replica: ServeDatabaseHandle | null = null
  let server: Server | null = null
  try {
    if (readUrl)
      replica = await open({ ...primary, statementTimeoutMs: 2000, databaseUrl: readUrl, listenUrl: undefined })
    const heartbeatMs = options.heartbeatMs ?? 2000
    const migrated = await (options.migrate ?? defaultMigrate)(handle.db, handle.schema)
    for (const w of (migrated as Partial<MigrateResult> | undefined)?.warnings ?? []) log(`Warning: ${w.message}`)
    const demo = options.demo ? await seedDemo(handle.db) : null
    const handouts =
      options.countHandouts === false
        ? undefined
        : createHandoutCounter({
            write: (rows) => addHandouts(handle.db, rows),
            intervalMs: options.handoutFlushMs ?? 10_000,
            log,
          })
    // The handler applies the defaults of the options left out.
    const handler = createRequestHandler({
      store: createDatabaseStore(handle, { heartbeatMs, ...(replica ? { reads: replica.db } : {}) }),
      cacheMaxAgeMs: options.cacheMaxAgeMs,
      // A replica may not have replayed a change when its notification (from the primary) arrives.
      settleMs: replica ? heartbeatMs : 0,
      allowOrigins: options.allowOrigins,
      allowBroadcasterFallback: options.allowBroadcasterFallback,
      rateLimitPerMinute: options.rateLimitPerMinute,
      demo: options.demo,
      widgetDir: options.widgetDir,
      log,
      onChange: options.onChange,
      handouts,
      metrics: options.metrics === true,
    })
    await handler.ready
    const metricsServer = options.metricsPort === undefined ? null : await listenForMetrics(handler, options, log)
    let shuttingDown = false
    const httpServer = createServer((req, res) => {
      // While shutting down, answers close their connection so that clients reconnect elsewhere.
      if (shuttingDown) res.setHeader('connection', 'close')
      handler.handler(req, res)
    })
    server = httpServer
    // Slow clients cannot hold sockets forever.
    httpServer.requestTimeout = 15_000
    httpServer.headersTimeout = 10_000
    httpServer.keepAliveTimeout = 5_000
    httpServer.on('clientError', (_error, socket) => {
      if (socket.writable) {
        const body = apiErrorBody('bad_request')
        socket.end(
          Buffer.concat([
            Buffer.from(
              `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`,
            ),
            body,
          ]),
        )
      } else {
        socket.destroy()
      }
    })
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject)
      httpServer.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => {
        httpServer.off('error', reject)
        resolve()
      })
    })
    const address = httpServer.address() as AddressInfo
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    const url = `http://${host}:${address.port}`
    log(`Listening on ${url}`)
    let closing: Promise<void> | null = null
    return {
      url,
      server: httpServer,
      demo,
      stats: () => handler.stats(),
      metricsUrl: metricsServer?.url ?? null,
      flushHandouts: async () => handouts?.flush(),
      close() {
        closing ??= (async () => {
          shuttingDown = true
          // net.Server's close stops accepting without http.Server's immediate reset of idle
          // sockets, which would cut connections whose request has not been read yet.
          const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(httpServer, () => resolve()))
          const idle = setInterval(() => httpServer.closeIdleConnections(), 250)
          const grace = setTimeout(() => httpServer.closeAllConnections(), options.shutdownGraceMs ?? 10_000)
          await closed
          clearInterval(idle)
          clearTimeout(grace)
          await handler.close()
          metricsServer?.server.close()
          await handouts?.close()
          await replica?.close()
          if (owned) await handle.close()
        })()
        return closing
      },
    }
  } catch (error) {
    server?.close()
    await replica?.close().catch(() => {})
    if (owned) await handle.close().catch(() => {})
    throw error
  }
}

/** A server of `GET /metrics` alone, on `metricsPort` (the same host). */
async function listenForMetrics(
  handler: ViewerRequestHandler,
  options: StartServerOptions,
  log: (line: string) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: only /metrics here.\n')
      return
    }
    const body = Buffer.from(handler.metricsText())
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-store',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.metricsPort, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics`
  log(`Metrics on ${url}`)
  return { server, url }
}
