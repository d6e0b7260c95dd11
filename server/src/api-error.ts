import { API_ERROR_MESSAGES, API_ERROR_STATUS, type ApiErrorCode, type ApiErrorResponse } from '@hms-admin/core'

export { API_ERROR_STATUS }

const bodies = new Map<ApiErrorCode, Buffer>()

/** The `{"error":{"code","message"}}` body of an error code, encoded once. */
export function apiErrorBody(code: ApiErrorCode): Buffer {
  let body = bodies.get(code)
  if (body === undefined) {
    const answer: ApiErrorResponse = { error: { code, message: API_ERROR_MESSAGES[code] } }
    body = Buffer.from(JSON.stringify(answer))
    bodies.set(code, body)
  }
  return body
}
