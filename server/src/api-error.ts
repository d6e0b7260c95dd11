import { API_ERROR_MESSAGES, type ApiErrorCode } from '@hms-admin/core'

/** The HTTP status of each error code of the endpoint (DESIGN.md section 5). */
export const API_ERROR_STATUS: Record<ApiErrorCode, number> = {
  stream_not_found: 404,
  stream_not_live: 409,
  viewer_access_not_configured: 403,
  viewer_token_invalid: 403,
  bad_request: 400,
  rate_limited: 429,
  service_unavailable: 503,
  not_found: 404,
  method_not_allowed: 405,
}

const bodies = new Map<ApiErrorCode, Buffer>()

/** The `{"error":{"code","message"}}` body of an error code, encoded once. */
export function apiErrorBody(code: ApiErrorCode): Buffer {
  let body = bodies.get(code)
  if (body === undefined) {
    body = Buffer.from(JSON.stringify({ error: { code, message: API_ERROR_MESSAGES[code] } }))
    bodies.set(code, body)
  }
  return body
}
