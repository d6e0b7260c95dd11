/** The viewer-credential endpoint of `hms-admin serve`, mountable in any node:http server. */
export {
  startServer,
  type StartServerOptions,
  type RunningServer,
  type ServeDatabaseHandle,
  type ServeDatabaseOptions,
} from './start-server.js'
export {
  createRequestHandler,
  defaultWidgetDir,
  type RequestHandlerOptions,
  type RequestHandlerStats,
  type ViewerRequestHandler,
} from './create-request-handler.js'
export { createDatabaseStore, type ServeDatabase, type DatabaseStoreOptions } from './create-database-store.js'
export type { ServeStore, StreamRecord } from './serve-store.js'
export { createRateLimiter, clientKey, type RateLimiter } from './rate-limiter.js'
export { createSingleFlightCache, type SingleFlightCache, type CacheEntry } from './single-flight-cache.js'
export { openApiDocument } from './openapi-document.js'
/** Opens the database to mount the handler on (re-exported so that a site needs only this package). */
export { openDatabase, type DatabaseHandle, type DatabaseOptions } from '@hms-admin/database'
