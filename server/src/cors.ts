/** CORS for a fixed allow-list of origins (exact `scheme://host[:port]` strings). */
export interface Cors {
  /** True when `origin` may read API answers. */
  allows(origin: string | undefined): origin is string
  /** The headers of an answer to a preflight from an allowed origin. */
  preflightHeaders(origin: string): Record<string, string>
}

/** Normalises an `--allow-origin` value (`https://Example.com/` -> `https://example.com`). */
export function normaliseOrigin(value: string): string {
  const trimmed = value.trim()
  try {
    const url = new URL(trimmed)
    if (url.origin !== 'null') return url.origin
  } catch {
    // Not a URL: kept as given, it then only matches an identical Origin header.
  }
  return trimmed.replace(/\/+$/, '')
}

/** Creates the CORS policy; an empty list allows no cross-origin reads. */
export function createCors(allowOrigins: readonly string[]): Cors {
  const allowed = new Set(allowOrigins.map(normaliseOrigin).filter((origin) => origin !== '' && origin !== 'null'))
  return {
    allows(origin): origin is string {
      return origin !== undefined && allowed.has(origin)
    },
    preflightHeaders(origin) {
      return {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-allow-headers': 'accept, content-type',
        'access-control-max-age': '600',
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      }
    },
  }
}
