import { maskSecret } from './mask-secret.js'

// What could be a secret pasted where it does not belong: a JWT (or its first part), an HMS_
// token, a 100ms room code, or any long run of token characters (an app secret, a broken token)
// that is not a UUID.
// A whole run of token characters, not one already masked (followed by `…`).
const SECRET_LIKE =
  /(?:eyJ[A-Za-z0-9_\-.]*|HMS_[A-Za-z0-9_\-.]*|[A-Za-z0-9_\-.+/=]{32,})(?![A-Za-z0-9_\-.+/=])|(?<![A-Za-z0-9])[a-z]{3}-[a-z]{3,4}-[a-z]{3}(?![A-Za-z0-9])/g
// maskSecret keeps at most 6 characters before its "…": a longer run before one is not a mask.
const MASK_PREFIX_MAX = 6
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// The environment variables hms-admin's own messages name, possibly followed by "=value" or a
// full stop (the value is still checked).
const ENV_NAMES = new Set([
  'HMS_ACCESS_KEY',
  'HMS_SECRET',
  'HMS_ENV',
  'HMS_ADMIN_ACTOR',
  'HMS_ADMIN_DATABASE_URL',
  'HMS_ADMIN_DATA_DIR',
  'HMS_ADMIN_LISTEN_URL',
  'HMS_ADMIN_READ_URL',
  'HMS_ADMIN_SCHEMA',
  'HMS_ALLOW_BROADCASTER_FALLBACK',
])
const ENV_NAME_THEN = /^(HMS_[A-Z_]+?)([.=].*)?$/
// Lowercase words joined by "_" or "-" (a migration name, a long handle): no random secret looks so.
const WORDS = /^[a-z0-9]{1,19}(?:[_-][a-z0-9]{1,19}){2,}$/
// A file path: starts with "/" or "./", has two or more separators and no base64 "+" or "="; its
// parts are redacted one by one (a token pasted as a directory name is still masked).
const PATH = /^\.{0,2}\/(?:[A-Za-z0-9_\-.]+\/)+[A-Za-z0-9_\-.]*$/

const ROOM_CODE = /^[a-z]{3}-[a-z]{3,4}-[a-z]{3}$/

const secretLike = (match: string): boolean => ROOM_CODE.test(match) || (!UUID.test(match) && !WORDS.test(match))

function redactRun(match: string, offset: number, text: string): string {
  if (text[offset + match.length] === '…' && match.length <= MASK_PREFIX_MAX) return match
  const env = ENV_NAME_THEN.exec(match)
  if (env && ENV_NAMES.has(env[1]!)) return env[1]! + redactSecrets(env[2] ?? '')
  if (PATH.test(match)) return match.split('/').map(redactSecrets).join('/')
  return secretLike(match) ? maskSecret(match) : match
}

/**
 * Masks (with `maskSecret`) everything in `text` that could be a secret: a JWT, an `HMS_` token, a
 * room code, or a run of 32 or more token characters that is not a UUID, a lowercase word list
 * (`2026_11_28_create_tables`), a file path or one of hms-admin's `HMS_…` environment variable
 * names. For echoing user input (handles, names, ids, queries, option values, unknown commands)
 * in messages.
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_LIKE, (match, offset: number) => redactRun(match, offset, text))
}

/** Says whether `text` contains anything `redactSecrets` would mask (a value that must not be stored as a name). */
export function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text
}
