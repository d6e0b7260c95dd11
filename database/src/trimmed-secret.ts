import { CREDENTIAL_COLUMNS, TRIMMED_CHARACTERS, type CredentialField } from '@hms-admin/core'
import { sql, type RawBuilder } from 'kysely'

/**
 * The stored secret of `field` in the influencers row aliased `i`, trimmed in SQL exactly as core's
 * `trimSecret` trims in JavaScript. The characters are a literal, not a parameter: the secret
 * lookup indexes are built on this very expression.
 */
export function trimmedSecret(field: CredentialField): RawBuilder<string> {
  return sql<string>`btrim(${sql.ref(`i.${CREDENTIAL_COLUMNS[field]}`)}, ${sql.lit(TRIMMED_CHARACTERS)})`
}
