/** The default window in which a token counts as expiring soon: 7 days, in milliseconds. */
export const DEFAULT_EXPIRING_WITHIN_MS = 7 * 24 * 60 * 60 * 1000

const UNIT_MS = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
  // A year of 365 days: for windows such as `rotate --expiring-within 100y` (everything).
  y: 365 * 24 * 60 * 60 * 1000,
} as const

/** Parses a duration such as '7d', '12h', '30m', '45s', '2w' or '1y' (365 days) into milliseconds, or `null` if invalid. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)\s*([smhdwy])$/i.exec(text.trim())
  if (!match) return null
  const amount = Number(match[1])
  const unit = match[2]!.toLowerCase() as keyof typeof UNIT_MS
  const ms = amount * UNIT_MS[unit]
  return Number.isSafeInteger(ms) ? ms : null
}
