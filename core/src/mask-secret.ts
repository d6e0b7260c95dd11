const MAX_SHOWN = 10
const MIN_LENGTH_FOR_PREFIX_ONLY = 4

/**
 * Masks a secret for display: long tokens as `eyJhbG…Xw9Q` (6 + … + 4), shorter values showing at
 * most a quarter of their characters, so a room code is never shown in full.
 */
export function maskSecret(value: string): string {
  const secret = value.trim()
  if (secret === '') return ''
  const shown = Math.min(MAX_SHOWN, Math.floor(secret.length / 4))
  if (secret.length < MIN_LENGTH_FOR_PREFIX_ONLY || shown === 0) return '…'
  const prefix = Math.ceil(shown * 0.6)
  const suffix = shown - prefix
  return `${secret.slice(0, prefix)}…${suffix > 0 ? secret.slice(-suffix) : ''}`
}
