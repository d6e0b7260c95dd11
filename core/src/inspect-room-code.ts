import { findings as build } from './findings.js'
import type { CredentialField, Finding } from './types.js'

/** The accepted room code shape: 3-4-3 (or 3-3-3) lowercase letters, e.g. `abc-defg-hij`. */
export const ROOM_CODE_PATTERN = /^[a-z]{3}-[a-z]{3,4}-[a-z]{3}$/

/** Inspects one room code (trimmed) and returns its findings; a token stored here is reported as such. */
export function inspectRoomCode(value: string, field: CredentialField): Finding[] {
  const code = value.trim()
  if (ROOM_CODE_PATTERN.test(code)) return []
  const looksLikeToken = code.startsWith('eyJ') || code.startsWith('HMS_')
  return [build.roomCodeMalformed(field, looksLikeToken)]
}
