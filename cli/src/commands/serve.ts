import { CliError } from '../errors.js'
import {
  CACHE_MAX_AGE,
  flagOrEnv,
  HOST,
  LISTEN_URL,
  ORIGIN,
  PORT,
  parseInput,
  RATE_LIMIT,
  READ_URL,
} from '../cli-input.js'
import { databaseOpenError } from '../database-open-error.js'
import { databaseLocation, fallbackPolicy } from '../context.js'
import { startServer, type ServeDatabaseHandle, type ServeDatabaseOptions } from '@hms-admin/server'

/** The parts of the CLI's dependencies `serve` uses. */
export interface ServeDeps {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  env: Record<string, string | undefined>
  openDatabase?: (options: ServeDatabaseOptions) => Promise<ServeDatabaseHandle>
  /** Applies the migrations (default: @hms-admin/migrations). */
  migrate?: (db: ServeDatabaseHandle['db']) => Promise<unknown>
}

/** Options of `hms-admin serve` (DESIGN.md section 4). */
export interface ServeCommandOptions {
  port?: number | string
  host?: string
  allowOrigin?: string[] | string
  allowBroadcasterFallback?: boolean
  rateLimit?: number | string
  demo?: boolean
  databaseUrl?: string
  dataDir?: string
  listenUrl?: string
  readUrl?: string
  cacheMaxAge?: string
  /** Serve GET /metrics on the main port. */
  metrics?: boolean
  /** Serve GET /metrics on this port instead. */
  metricsPort?: number | string
  /** Resolves to stop the server (tests); by default SIGINT or SIGTERM stops it. */
  until?: Promise<unknown>
}

/**
 * Runs `hms-admin serve` until SIGINT/SIGTERM: prints the URL and the next commands to try, then
 * shuts down gracefully (in-flight requests finish, the database closes). Resolves to exit code 0.
 */
export async function runServe(deps: ServeDeps, options: ServeCommandOptions): Promise<number> {
  const port = parseInput('--port', PORT, options.port ?? 8787)
  const rateLimit = parseInput('--rate-limit', RATE_LIMIT, options.rateLimit ?? 300)
  const metricsPort =
    options.metricsPort === undefined ? undefined : parseInput('--metrics-port', PORT, options.metricsPort)
  const host = parseInput('--host', HOST, options.host ?? '127.0.0.1')
  const origins = typeof options.allowOrigin === 'string' ? [options.allowOrigin] : (options.allowOrigin ?? [])
  const allowOrigins = origins.map((origin) => parseInput('--allow-origin', ORIGIN, origin))
  const allowBroadcasterFallback = fallbackPolicy(deps, options.allowBroadcasterFallback)
  const out = (line: string): void => void deps.stdout.write(`${line}\n`)
  const err = (line: string): void => void deps.stderr.write(`${line}\n`)
  const database: ServeDatabaseOptions = {
    ...databaseLocation(deps.env, options),
    ...replicaUrls(deps.env, options),
    statementTimeoutMs: 2000,
    onWarning: (message) => err(`Warning: ${message}`),
  }
  const cacheMaxAgeMs = parseInput('--cache-max-age', CACHE_MAX_AGE, options.cacheMaxAge ?? '30s')
  if (allowBroadcasterFallback) {
    err(
      'Warning: the broadcaster fallback is on: viewers may receive broadcaster credentials, which let anyone broadcast.',
    )
  }
  const running = await startServer({
    database,
    openDatabase: async (o) => {
      try {
        return await (deps.openDatabase ?? (await import('@hms-admin/database')).openDatabase)(o)
      } catch (error) {
        throw databaseOpenError(error, o)
      }
    },
    ...(deps.migrate ? { migrate: deps.migrate } : {}),
    port,
    host,
    allowOrigins,
    allowBroadcasterFallback,
    rateLimitPerMinute: rateLimit,
    cacheMaxAgeMs,
    demo: options.demo === true,
    metrics: options.metrics === true && metricsPort === undefined,
    ...(metricsPort === undefined ? {} : { metricsPort }),
    log: (line) => (line.startsWith('Listening on ') ? out(line) : err(line)),
  }).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code
    if (code === 'EADDRINUSE')
      throw new CliError(
        3,
        `Port ${port} on ${host} is already in use.`,
        'Stop the other server or pick another port with --port.',
      )
    if (code === 'EACCES')
      throw new CliError(3, `Not allowed to listen on ${host}:${port}.`, 'Pick a port above 1024 with --port.')
    if (code === 'EADDRNOTAVAIL')
      throw new CliError(2, `Cannot listen on ${host}: no such local address.`, 'Use --host 127.0.0.1 or 0.0.0.0.')
    throw error
  })
  if (running.demo?.seeded)
    out(`Seeded ${running.demo.sessions.length} demo influencers with live sessions (fake tokens).`)
  if (options.demo) out(`  Demo page:     ${running.url}/`)
  out(`  Live streams:  curl ${running.url}/api/live-streams`)
  out(`  Health:        curl ${running.url}/healthz`)
  if (running.metricsUrl || options.metrics)
    out(`  Metrics:       curl ${running.metricsUrl ?? `${running.url}/metrics`}`)
  out('  In another terminal: npx hms-admin list   (or: npx hms-admin session list)')
  out('Press Ctrl+C to stop.')

  // The signal listeners stay registered until the shutdown is complete, so that other listeners
  // (the embedded database's) know someone else is shutting the process down.
  let stopRequested!: () => void
  const stopping = new Promise<void>((resolve) => (stopRequested = resolve))
  const onSignal = (): void => stopRequested()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  options.until?.then(onSignal, onSignal)
  try {
    await stopping
    err('Shutting down: finishing in-flight requests…')
    await running.close()
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  err('Stopped.')
  return 0
}

/** `--listen-url` and `--read-url` (or their variables): only with a Postgres database. */
function replicaUrls(
  env: ServeDeps['env'],
  options: ServeCommandOptions,
): Pick<ServeDatabaseOptions, 'listenUrl' | 'readUrl'> {
  const listenUrl = flagOrEnv(
    ['--listen-url', options.listenUrl],
    ['HMS_ADMIN_LISTEN_URL', env.HMS_ADMIN_LISTEN_URL],
    LISTEN_URL,
  )
  const readUrl = flagOrEnv(['--read-url', options.readUrl], ['HMS_ADMIN_READ_URL', env.HMS_ADMIN_READ_URL], READ_URL)
  const given = listenUrl ? '--listen-url' : readUrl ? '--read-url' : null
  if (given && !databaseLocation(env, options).databaseUrl)
    throw new CliError(
      2,
      `${given} needs a Postgres database (--database-url or DATABASE_URL).`,
      'The embedded database needs neither: leave it out.',
    )
  return { ...(listenUrl ? { listenUrl } : {}), ...(readUrl ? { readUrl } : {}) }
}
