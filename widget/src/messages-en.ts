/**
 * The message catalogue: every text, label and accessible name both elements show, in English
 * (built into the initial script). Other languages (`src/locales/*`) are loaded lazily and a
 * page may replace any message through the elements' `messages` property. `{name}` in a message
 * is replaced by the value of that name.
 */
import { ACCESS_STATUS_BADGES, VIEWER_ERROR_MESSAGES } from '@hms-admin/core'

const errors = VIEWER_ERROR_MESSAGES

/** The English messages; error messages are core's, so the CLI, endpoint and widget agree. */
export const EN_MESSAGES = {
  // Named one by one: a spread would bundle core's superseded endpoint wordings too.
  stream_not_found: errors.stream_not_found,
  stream_not_live: errors.stream_not_live,
  viewer_access_not_configured: errors.viewer_access_not_configured,
  viewer_token_invalid: errors.viewer_token_invalid,
  bad_request: errors.bad_request,
  rate_limited: errors.rate_limited,
  service_unavailable: errors.service_unavailable,
  not_found: errors.not_found,
  method_not_allowed: errors.method_not_allowed,
  connection_failed: errors.connection_failed,
  unsupported_browser: errors.unsupported_browser,
  ready: ACCESS_STATUS_BADGES.ready.label,
  limited: ACCESS_STATUS_BADGES.limited.label,
  not_configured: ACCESS_STATUS_BADGES.not_configured.label,
  idle: 'No stream selected.',
  loading: 'Loading the stream…',
  connecting: 'Connecting…',
  waiting: 'Waiting for the stream to start…',
  playing: 'Live',
  reconnecting: 'Connection lost. Reconnecting…',
  ended: 'The stream has ended.',
  retry: 'Retry',
  tap_to_unmute: 'Tap to unmute',
  player: 'Live video: {title}',
  play: 'Play',
  pause: 'Pause',
  mute: 'Mute',
  unmute: 'Unmute',
  volume: 'Volume',
  fullscreen: 'Full screen',
  exit_fullscreen: 'Exit full screen',
  pip: 'Picture in picture',
  exit_pip: 'Exit picture in picture',
  live: 'LIVE',
  access: 'Access',
  credentials: 'Credentials',
  expires: 'Expires',
  connection: 'Connection',
  viewer: 'viewer',
  broadcaster: 'broadcaster',
  token: 'token',
  room_code: 'room code',
  none: 'none',
  credential_summary: '{source} {kinds}',
  list_loading: 'Loading live streams…',
  list_empty: 'No one is live right now.',
  list_count: '{count} live now',
  watch: 'Watch',
  watch_label: 'Watch {title} by {name}',
}

/** A complete catalogue: one text per key of the English one. */
export type Messages = { [K in keyof typeof EN_MESSAGES]: string }

/** The key of one message. */
export type MessageKey = keyof Messages
