/** The database could not be reached (refused, missing socket, timeout, shutdown). CLI exit 3, serve 503. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
])
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000', '28000', '28P01'])
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /connection (?:timeout|refused)/i,
  // pg's query_timeout: the database did not answer in time.
  /query read timeout/i,
]

/** True for errors meaning "the database is not reachable" rather than "the query is wrong". */
export function isDatabaseUnavailableError(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) return true
  if (err instanceof AggregateError && err.errors.some(isDatabaseUnavailableError)) return true
  if (MESSAGES.some((re) => re.test(err.message))) return true
  return err.cause !== undefined && err.cause !== err && isDatabaseUnavailableError(err.cause)
}
