const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a canonical 8-4-4-4-12 hex uuid (any version), the only ids the database is asked about. */
export function isUuid(value: string): boolean {
  return value.length === 36 && UUID_PATTERN.test(value)
}
