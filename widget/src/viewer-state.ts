/**
 * The states, error codes and event details of `<live-stream-viewer>` (DESIGN.md section 6).
 */
import type { ApiErrorCode } from '@hms-admin/core'

/** Every state the viewer reflects in its `state` attribute. */
const VIEWER_STATES = ['idle', 'loading', 'connecting', 'waiting', 'playing', 'reconnecting', 'ended', 'error'] as const

/** One state of `<live-stream-viewer>`. */
export type ViewerState = (typeof VIEWER_STATES)[number]

/** Error codes the viewer reports: the API's plus the widget's own. */
export type ViewerErrorCode = ApiErrorCode | 'connection_failed' | 'unsupported_browser'

/** `detail` of the `live-stream-state` event. */
export interface LiveStreamStateDetail {
  state: ViewerState
  previousState: ViewerState
  sessionId: string | null
}

/** `detail` of the `live-stream-error` event. */
export interface LiveStreamErrorDetail {
  code: ViewerErrorCode
  message: string
  retryable: boolean
  sessionId: string | null
}

/** Codes after which trying again can help, so the viewer shows a Retry button. */
export const RETRYABLE_ERROR_CODES: ReadonlySet<ViewerErrorCode> = new Set<ViewerErrorCode>([
  'connection_failed',
  'stream_not_live',
  'rate_limited',
  'service_unavailable',
])
