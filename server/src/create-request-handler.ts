import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ApiErrorCode } from '@hms-admin/core'
import { API_ERROR_STATUS, apiErrorBody } from './api-error.js'
import { createCors } from './cors.js'
import { createDatabaseStore, type ServeDatabase } from './create-database-store.js'
import { demoListPage, demoWatchPage } from './demo-pages.js'
import { isUuid } from '@hms-admin/database'
import { clientKey, createRateLimiter } from './rate-limiter.js'
import { API_SECURITY_HEADERS, DEMO_PAGE_HEADERS } from './security-headers.js'
import type { ServeStore, StreamRecord } from './serve-store.js'
import type { CacheEntry } from './single-flight-cache.js'
import { createAnswerCache } from './answer-cache.js'
import type { ListenerEvent } from './change-listener.js'
import { liveStreamsBody, viewerAnswer } from './viewer-answer.js'
import { openApiDocument } from './openapi-document.js'
import { createWidgetFiles } from './widget-files.js'
import type { HandoutCounter } from './handout-counter.js'
import { createMetrics } from './metrics.js'

/** The route label of a request in /metrics (a few prefix checks, no parsing). */
function routeOf(url: string): string {
  if (url.startsWith(VIEWER_PREFIX)) return 'viewer'
  if (url.startsWith('/api/live-streams')) return 'live_streams'
  if (url.startsWith('/healthz')) return 'healthz'
  if (url.startsWith('/openapi.json')) return 'openapi'
  if (url.startsWith('/metrics')) return 'metrics'
  if (url.startsWith('/widget/')) return 'widget'
  return 'other'
}

/** Options of `createRequestHandler`. */
export interface RequestHandlerOptions {
  /** An open database handle (`openDatabase`); the handler reads and listens through it. */
  database?: ServeDatabase
  /** Or any store of streams (tests, other sources); takes precedence over `database`. */
  store?: ServeStore
  /** Origins that may read the API cross-origin (exact `scheme://host[:port]`). */
  allowOrigins?: readonly string[]
  /** Hand broadcaster credentials to viewers when no viewer credential is usable (default false). */
  allowBroadcasterFallback?: boolean
  /** Credential requests per client address per minute (default 300; 0 turns the limit off). */
  rateLimitPerMinute?: number
  /** Serve the demo pages at `/` and `/watch`. */
  demo?: boolean
  /** The built widget directory served under /widget/ (default: widget/dist of this repository). */
  widgetDir?: string
  /** A database read taking longer than this answers 503 (default 3000 ms). */
  loadTimeoutMs?: number
  /**
   * How long a computed answer may be served from memory at most, whatever happens (default 30 s,
   * `--cache-max-age`; change notifications invalidate it sooner).
   */
  cacheMaxAgeMs?: number
  /**
   * Answers read within this long after a change notification are not kept (default 0; serve uses
   * the heartbeat period with `--read-url`, as a replica may lag behind the notification).
   */
  settleMs?: number
  /** How long a missing stream is remembered (default 2 s; a new session invalidates it at once). */
  notFoundTtlMs?: number
  /** One line per notable event (no secrets). */
  log?: (line: string) => void
  /** Called with each change notification's payload once the cached answers it affects are dropped. */
  onChange?: (payload: string) => void
  /** The clock (tests). */
  now?: () => Date
  /** Counts each viewer-credential answer (session, status, influencer handle); see createHandoutCounter. */
  handouts?: HandoutCounter
  /** Serve `GET /metrics` (Prometheus text) on this handler too (default false). */
  metrics?: boolean
}

/** Counters exposed for benchmarks and tests. */
export interface RequestHandlerStats {
  /** Database reads made for answers (stream and list loads, health checks excluded). */
  dbQueries: number
  cachedStreams: number
  /** True while change notifications are proven to arrive (the cache is used only then). */
  subscribed: boolean
}

/** A node:http request handler that a site can mount, plus its lifecycle. */
export interface ViewerRequestHandler {
  handler: (req: IncomingMessage, res: ServerResponse) => void
  /** Resolves once change notifications are listened to (or listening failed and will be retried). */
  ready: Promise<void>
  stats(): RequestHandlerStats
  /** The Prometheus text of `GET /metrics` (for a separate `--metrics-port` server). */
  metricsText(): string
  /** Stops listening for changes and timers; does not close the store. */
  close(): Promise<void>
}

interface Answer {
  status: number
  /** The influencer's handle of a viewer answer (hand-out metrics). */
  handle?: string | null
  body: Buffer
  /** Flat [name, value, ...] list: the cheapest form for writeHead. */
  headers: string[]
}

const VIEWER_PREFIX = '/api/live-streams/'
const VIEWER_SUFFIX = '/viewer'
const VIEWER_PATH_LENGTH = VIEWER_PREFIX.length + 36 + VIEWER_SUFFIX.length
const LIST_KEY = 'live-streams'
const ALLOW = 'GET, HEAD, OPTIONS'

class LoadTimeoutError extends Error {
  constructor() {
    super('database read timed out')
  }
}

/** The default widget directory: the `dist` of the installed @hms-admin/widget, found by package resolution. */
export function defaultWidgetDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@hms-admin/widget/package.json')), 'dist')
}

/**
 * Creates the request handler of `hms-admin serve` (DESIGN.md section 5): the live-stream list, the
 * viewer credentials, the health check, the widget files and (with `demo`) the demo pages.
 */
export function createRequestHandler(options: RequestHandlerOptions): ViewerRequestHandler {
  const chosen = options.store ?? (options.database ? createDatabaseStore(options.database) : null)
  if (chosen === null) throw new TypeError('createRequestHandler needs a database handle or a store')
  const store: ServeStore = chosen
  const now = options.now ?? (() => new Date())
  const log = options.log ?? (() => {})
  const allowBroadcasterFallback = options.allowBroadcasterFallback ?? false
  const loadTimeoutMs = options.loadTimeoutMs ?? 3000
  const notFoundTtlMs = options.notFoundTtlMs ?? 2000
  const allowOrigins = options.allowOrigins ?? []
  const cors = createCors(allowOrigins)
  const corsEnabled = allowOrigins.length > 0
  const rateLimitPerMinute = options.rateLimitPerMinute ?? 300
  const limiter = createRateLimiter(rateLimitPerMinute)
  const widgets = createWidgetFiles(options.widgetDir ?? defaultWidgetDir())
  const cache = createAnswerCache<Answer>({
    maxAgeMs: options.cacheMaxAgeMs ?? 30_000,
    settleMs: options.settleMs ?? 0,
    now: () => now().getTime(),
  })
  const { streams, lists } = cache
  const metrics = createMetrics()
  const handouts = options.handouts
  let dbQueries = 0
  let closed = false

  function apiHeaders(status: number, body: Buffer, extra?: Record<string, string>): string[] {
    return Object.entries({
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.length),
      'cache-control': 'no-store',
      vary: 'Origin',
      ...API_SECURITY_HEADERS,
      ...(status === 405 ? { allow: ALLOW } : {}),
      ...extra,
    }).flat()
  }

  const metricsHeaders = (body: Buffer) =>
    apiHeaders(200, body, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
  const metricsText = () => metrics.render({ listenerUp: cache.trusted, handouts: handouts?.byHandle() ?? new Map() })

  const errorAnswers = new Map<string, Answer>()
  function errorAnswer(code: ApiErrorCode, retryAfter?: number): Answer {
    const key = retryAfter === undefined ? code : `${code}:${retryAfter}`
    let answer = errorAnswers.get(key)
    if (answer === undefined) {
      const status = API_ERROR_STATUS[code]
      const body = apiErrorBody(code)
      answer = {
        status,
        body,
        headers: apiHeaders(status, body, retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) }),
      }
      if (errorAnswers.size < 1000) errorAnswers.set(key, answer)
    }
    return answer
  }

  function send(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
    if (res.headersSent || res.destroyed) return
    metrics.request(routeOf(req.url ?? ''), answer.status)
    // req.headers is built lazily by node: only look at it when some origin may be allowed.
    const origin = corsEnabled ? req.headers.origin : undefined
    if (corsEnabled && cors.allows(origin)) {
      res.writeHead(answer.status, [...answer.headers, 'access-control-allow-origin', origin])
    } else {
      res.writeHead(answer.status, answer.headers)
    }
    res.end(answer.body)
  }

  function unavailable(error: unknown): Answer {
    log(error instanceof LoadTimeoutError ? 'database read timed out' : `database unavailable: ${describe(error)}`)
    return errorAnswer('service_unavailable', 2)
  }

  function withTimeout<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new LoadTimeoutError()), loadTimeoutMs)
      promise.then(
        (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }

  async function loadStream(sessionId: string): Promise<CacheEntry<Answer>> {
    dbQueries += 1
    const started = now().getTime()
    const record: StreamRecord | null = await withTimeout(store.getStream(sessionId))
    const at = now()
    metrics.dbLatency((at.getTime() - started) / 1000)
    const { answer, expiresAt } = viewerAnswer(record, { allowBroadcasterFallback, now: at })
    return {
      value: { ...answer, headers: apiHeaders(answer.status, answer.body), handle: record?.influencer.handle ?? null },
      // A returned token stops being served from memory when it expires.
      expiresAt: Math.min(
        cache.expiresAt(started, record === null ? notFoundTtlMs : undefined),
        expiresAt ?? Number.POSITIVE_INFINITY,
      ),
      tag: record?.influencer.id ?? null,
    }
  }

  async function loadList(): Promise<CacheEntry<Answer>> {
    dbQueries += 1
    const started = now().getTime()
    const records = await withTimeout(store.listLiveStreams())
    const at = now()
    const body = liveStreamsBody(records, { allowBroadcasterFallback, now: at })
    return {
      value: { status: 200, body, headers: apiHeaders(200, body) },
      expiresAt: cache.expiresAt(started),
      tag: null,
    }
  }

  function viewer(req: IncomingMessage, res: ServerResponse, sessionId: string): void {
    const key = sessionId.toLowerCase()
    const cached = streams.peek(key)
    const answered = (answer: Answer) => {
      handouts?.count(key, answer.status, answer.handle)
      send(req, res, answer)
    }
    if (cached !== undefined) {
      metrics.cacheHit()
      return answered(cached)
    }
    metrics.cacheMiss()
    streams.load(key, () => loadStream(key)).then(answered, (error: unknown) => answered(unavailable(error)))
  }

  function list(req: IncomingMessage, res: ServerResponse): void {
    const cached = lists.peek(LIST_KEY)
    if (cached !== undefined) return send(req, res, cached)
    lists.load(LIST_KEY, loadList).then(
      (answer) => send(req, res, answer),
      (error: unknown) => send(req, res, unavailable(error)),
    )
  }

  const healthy = new Map(
    (['on', 'bypassed'] as const).map((state) => {
      const body = Buffer.from(JSON.stringify({ ok: true, cache: state }))
      return [state, { status: 200, body, headers: apiHeaders(200, body) } satisfies Answer]
    }),
  )
  function health(req: IncomingMessage, res: ServerResponse): void {
    withTimeout(store.ping()).then(
      () => send(req, res, healthy.get(cache.trusted ? 'on' : 'bypassed')!),
      (error: unknown) => send(req, res, unavailable(error)),
    )
  }

  let openApi: Answer | null = null
  function openApiAnswer(): Answer {
    if (openApi === null) {
      const body = Buffer.from(JSON.stringify(openApiDocument()))
      openApi = { status: 200, body, headers: apiHeaders(200, body, { 'cache-control': 'public, max-age=300' }) }
    }
    return openApi
  }

  function html(res: ServerResponse, body: string): void {
    const bytes = Buffer.from(body)
    res.writeHead(200, { ...DEMO_PAGE_HEADERS, 'content-length': String(bytes.length) })
    res.end(bytes)
  }

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin
    if (cors.allows(origin)) {
      res.writeHead(204, { ...cors.preflightHeaders(origin), ...API_SECURITY_HEADERS })
    } else {
      // Refused: no Access-Control-Allow-* headers, so the browser blocks the request.
      res.writeHead(204, { vary: 'Origin', ...API_SECURITY_HEADERS })
    }
    res.end()
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? ''
    const method = req.method ?? ''
    if (url.charCodeAt(0) !== 47 /* / */ || url.length > 2048) return send(req, res, errorAnswer('bad_request'))
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    const readable = method === 'GET' || method === 'HEAD'

    if (path.startsWith(VIEWER_PREFIX) && path.endsWith(VIEWER_SUFFIX)) {
      if (!readable)
        return method === 'OPTIONS' ? preflight(req, res) : send(req, res, errorAnswer('method_not_allowed'))
      const id = path.length === VIEWER_PATH_LENGTH ? path.slice(VIEWER_PREFIX.length, VIEWER_PREFIX.length + 36) : ''
      if (!isUuid(id)) return send(req, res, errorAnswer('bad_request'))
      if (rateLimitPerMinute > 0) {
        const retryAfter = limiter.take(clientKey(req.socket.remoteAddress))
        if (retryAfter > 0) {
          handouts?.count(id.toLowerCase(), 429)
          return send(req, res, errorAnswer('rate_limited', retryAfter))
        }
      }
      return viewer(req, res, id)
    }
    if (path === '/api/live-streams') {
      if (!readable)
        return method === 'OPTIONS' ? preflight(req, res) : send(req, res, errorAnswer('method_not_allowed'))
      return list(req, res)
    }
    if (path === '/metrics' && options.metrics) {
      if (!readable) return send(req, res, errorAnswer('method_not_allowed'))
      const body = Buffer.from(metricsText())
      return send(req, res, { status: 200, body, headers: metricsHeaders(body) })
    }
    if (path === '/healthz') {
      if (!readable) return send(req, res, errorAnswer('method_not_allowed'))
      return health(req, res)
    }
    if (path === '/openapi.json') {
      if (!readable) return send(req, res, errorAnswer('method_not_allowed'))
      return send(req, res, openApiAnswer())
    }
    if (path.startsWith('/widget/')) {
      if (!readable) return send(req, res, errorAnswer('method_not_allowed'))
      widgets.serve(req, res, path.slice('/widget/'.length)).catch((error: unknown) => {
        log(`widget file error: ${describe(error)}`)
        send(req, res, errorAnswer('not_found'))
      })
      return
    }
    if (options.demo && (path === '/' || path === '/index.html' || path === '/watch')) {
      if (!readable) return send(req, res, errorAnswer('method_not_allowed'))
      if (path !== '/watch') return html(res, demoListPage())
      const session = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('session')
      if (session === null || !isUuid(session)) return send(req, res, errorAnswer('bad_request'))
      return html(res, demoWatchPage(session.toLowerCase()))
    }
    if (path.startsWith('/api/') && method === 'OPTIONS') return preflight(req, res)
    return send(req, res, errorAnswer('not_found'))
  }

  function handler(req: IncomingMessage, res: ServerResponse): void {
    try {
      route(req, res)
    } catch (error) {
      log(`request failed: ${describe(error)}`)
      send(req, res, errorAnswer('service_unavailable', 2))
    }
  }

  function onChange(payload: string): void {
    cache.onChange(payload)
    options.onChange?.(payload)
  }

  function onSubscribed(value: boolean, why?: ListenerEvent): void {
    if (closed) return
    log(stateMessage(value, why))
    cache.setTrusted(value)
  }

  let unsubscribe: (() => Promise<void>) | null = null
  const ready = store.subscribe(onChange, onSubscribed).then(
    (stop) => {
      unsubscribe = stop
      if (closed) void stop().catch(() => {})
    },
    (error: unknown) => log(`could not listen for changes (cache off): ${describe(error)}`),
  )

  return {
    handler,
    ready,
    stats: () => ({ dbQueries, cachedStreams: streams.size, subscribed: cache.trusted }),
    metricsText,
    async close() {
      closed = true
      cache.setTrusted(false)
      limiter.stop()
      await ready
      const stop = unsubscribe as (() => Promise<void>) | null
      if (stop) await stop().catch(() => {})
    },
  }
}

function stateMessage(trusted: boolean, why: ListenerEvent | undefined): string {
  if (trusted) return 'listening for changes (the heartbeat NOTIFY came back): cache on'
  if (why === 'heartbeat_missed')
    return 'the heartbeat NOTIFY did not come back through the listener: cache bypassed, every request reads the database (behind a pooler in transaction mode LISTEN receives nothing: give a direct connection with --listen-url)'
  if (why === 'reconnected') return 'the listener reconnected: cache bypassed until a heartbeat comes back'
  return 'change notifications lost: cache bypassed until listening again'
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return (error as Error & { code?: string }).code ?? error.message.split('\n')[0] ?? 'error'
  return 'error'
}
