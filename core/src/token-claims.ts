import type { TokenClaims } from './types.js'

const text = (value: unknown): string | null => {
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return null
}

const time = (value: unknown): Date | null => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null
  const date = new Date(value * 1000)
  return Number.isNaN(date.getTime()) ? null : date
}

/**
 * The non-secret claims of a decoded JWT payload (DESIGN.md section 2, token details): `role`,
 * `room_id`, `user_id`, `type` as text and `iat`, `nbf`, `exp` as dates; `null` for a claim that
 * is absent or of the wrong type. Never throws.
 */
export function tokenClaims(payload: Record<string, unknown>): TokenClaims {
  return {
    role: text(payload.role),
    room_id: text(payload.room_id),
    user_id: text(payload.user_id),
    type: text(payload.type),
    iat: time(payload.iat),
    nbf: time(payload.nbf),
    exp: time(payload.exp),
  }
}
