import { sql, type Kysely } from 'kysely'
import {
  adoptionWarnings,
  HANDLE_INDEX,
  handleCollisions,
  handleIndexExists,
  type AdoptionWarning,
} from './adoption-warnings.js'
import { maskSecretsIn } from './display-value.js'
import { qualify, quoteIdent } from './schema-name.js'

/**
 * Adds the constraints an adopted table allows (today the unique index on lower(handle)), never
 * changing a row, and returns what could not be done or is worked around. Run after every migrate:
 * once the operator fixes the rows, the next run adds what was missing.
 */
export async function adoptConstraints(db: Kysely<any>, schema: string): Promise<AdoptionWarning[]> {
  let failure: string | null = null
  if (!(await handleIndexExists(db, schema)) && (await handleCollisions(db, schema)).length === 0) {
    try {
      await sql
        .raw(
          `create unique index if not exists ${quoteIdent(HANDLE_INDEX)} on ${qualify(schema, 'influencers')} (lower(handle))`,
        )
        .execute(db)
    } catch (error) {
      const code = (error as { code?: unknown }).code
      // Connection lost or server shutting down: not a property of the rows.
      if (typeof code === 'string' && /^(08|57)/.test(code)) throw error
      // A row written meanwhile, or a handle too long for a btree entry: the warnings below say which.
      failure = maskSecretsIn(error instanceof Error ? error.message : String(error))
    }
  }
  return adoptionWarnings(db, schema, failure === null ? {} : { indexFailure: failure })
}
