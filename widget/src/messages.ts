/**
 * The texts both elements show, taken from `@hms-admin/core` so the CLI, the endpoint and the
 * widget always say the same thing.
 */
import { ACCESS_STATUS_BADGES, API_ERROR_MESSAGES, VIEWER_ERROR_MESSAGES } from '@hms-admin/core'
import type { AccessStatus } from '@hms-admin/core'
import type { ViewerErrorCode } from './viewer-state.js'

/** The user-facing sentence for an error code (core's wording; the server's as a fallback). */
export function errorMessage(code: ViewerErrorCode, serverMessage?: string | null): string {
  const viewer = VIEWER_ERROR_MESSAGES as Partial<Record<string, string>>
  const api = API_ERROR_MESSAGES as Partial<Record<string, string>>
  return viewer[code] ?? api[code] ?? serverMessage ?? viewer.connection_failed ?? 'Something went wrong.'
}

/** The badge text of an access status, e.g. "✅ Ready". */
export function badgeText(status: AccessStatus): string {
  const badge = ACCESS_STATUS_BADGES[status]
  return badge ? `${badge.emoji} ${badge.label}` : status
}
