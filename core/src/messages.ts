import type { AccessStatus, ApiErrorCode } from './api-schemas.js'

/** The badge of each access status, as shown by the CLI and the widget. */
export const ACCESS_STATUS_BADGES = {
  ready: { emoji: '✅', label: 'Ready' },
  limited: { emoji: '⚠️', label: 'Limited' },
  not_configured: { emoji: '❌', label: 'Not configured' },
} as const satisfies Record<AccessStatus, { emoji: string; label: string }>

/** One sentence per error code of the viewer-credential endpoint. */
export const API_ERROR_MESSAGES = {
  stream_not_found: 'This live stream was not found.',
  stream_not_live: 'This stream is not live right now.',
  viewer_access_not_configured: 'Viewer access is not configured for this stream yet.',
  viewer_token_invalid: 'The viewer credentials for this stream are invalid; please contact the host.',
  bad_request: 'The request is not valid.',
  rate_limited: 'Too many requests; please wait a moment and try again.',
  service_unavailable: 'The service is temporarily unavailable; please try again shortly.',
  not_found: 'Not found.',
  method_not_allowed: 'This method is not allowed here.',
} as const satisfies Record<ApiErrorCode, string>

/** Error codes the viewer widget reports: the endpoint's plus its own. */
export type ViewerErrorCode = ApiErrorCode | 'connection_failed' | 'join_failed' | 'unsupported_browser'

/** The viewer widget's message for each error code, one sentence each. */
export const VIEWER_ERROR_MESSAGES = {
  ...API_ERROR_MESSAGES,
  stream_not_found: 'Stream not found: it may have ended or the link may be wrong.',
  viewer_access_not_configured: 'Viewer access is not configured for this stream yet, so it cannot be watched.',
  viewer_token_invalid: 'This stream cannot be joined because its viewer access is invalid; please contact the host.',
  connection_failed: 'Could not connect to the stream; please check your internet connection and retry.',
  join_failed: 'Could not join the stream; please try again.',
  unsupported_browser: 'This browser cannot play the live stream; please use a recent Chrome, Edge, Firefox or Safari.',
} as const satisfies Record<ViewerErrorCode, string>
