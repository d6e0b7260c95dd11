import { TRIMMED_CHARACTERS } from '@hms-admin/core'
import { sql, type RawBuilder } from 'kysely'

/**
 * `column` (a stored secret) trimmed in SQL exactly as core's `trimSecret` trims in JavaScript. The characters
 * are a literal, not a parameter: the secret lookup indexes are built on this very expression.
 */
export function trimmedSecret(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>): RawBuilder<string> {
  return sql<string>`btrim(${column}, ${sql.lit(TRIMMED_CHARACTERS)})`
}
