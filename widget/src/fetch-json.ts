/**
 * A small `fetch` wrapper shared by both elements: a timeout, and errors as data.
 */
import type { ApiErrorCode, ApiErrorResponse } from '@hms-admin/core'

/** The outcome of `fetchJson`: the body, or an error code the elements can show. */
export type FetchJsonResult<T> =
  | { ok: true; body: T }
  | { ok: false; code: ApiErrorCode | 'connection_failed'; message: string | null }

/** Gives up on a request after this long. */
const FETCH_TIMEOUT_MS = 10_000

/**
 * GETs `url` as JSON. Network failures and timeouts become `connection_failed`; error answers
 * become their `error.code` (DESIGN.md section 5). Never rejects unless `signal` aborts.
 */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<FetchJsonResult<T>> {
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS)
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout
  let response: Response
  try {
    response = await fetch(url, { cache: 'no-store', signal: combined })
  } catch (error) {
    if (signal?.aborted) throw error
    return { ok: false, code: 'connection_failed', message: null }
  }
  const body: unknown = await response.json().catch(() => null)
  if (response.ok && body !== null) return { ok: true, body: body as T }
  const apiError = (body as Partial<ApiErrorResponse> | null)?.error
  return {
    ok: false,
    code: apiError?.code ?? (response.status >= 500 ? 'service_unavailable' : 'connection_failed'),
    message: typeof apiError?.message === 'string' ? apiError.message : null,
  }
}
