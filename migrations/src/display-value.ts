import { maskSecret, ROOM_CODE_PATTERN } from '@hms-admin/core'

const PLAIN = /^[A-Za-z0-9_.:-]{1,64}$/
const SECRET_SHAPED = /^(eyJ|HMS_)/
const SECRET_IN_TEXT = /\b(?:eyJ[\w-]*(?:\.[\w-]*)*|HMS_[\w-]+|[a-z]{3}-[a-z]{3,4}-[a-z]{3})\b/g

function looksSecret(value: string): boolean {
  const v = value.trim()
  return SECRET_SHAPED.test(v) || ROOM_CODE_PATTERN.test(v)
}

/**
 * A value from the app's rows (a handle, an id, a status) as a warning may show it: in quotes when
 * it is short and plain, else masked (it could be a secret pasted into the wrong column).
 */
export function displayValue(value: string): string {
  return PLAIN.test(value) && !looksSecret(value) ? `"${value}"` : `"${maskSecret(value)}"`
}

/** An id as a warning shows it: as is when plain (so it can be typed back), else masked. */
export function displayId(id: string): string {
  return PLAIN.test(id) && !looksSecret(id) ? id : maskSecret(id)
}

/** A database message with anything shaped like a token or room code masked. */
export function maskSecretsIn(text: string): string {
  return text.replace(SECRET_IN_TEXT, (s) => maskSecret(s))
}
