import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './database.js'

/** Server-side bounds of one transaction. */
export interface TransactionLimits {
  statementTimeoutMs: number
  lockTimeoutMs: number
}

const DEFAULT_LIMITS: TransactionLimits = { statementTimeoutMs: 15_000, lockTimeoutMs: 5_000 }

/**
 * Runs `fn` in a transaction whose statement and lock timeouts are set inside it (`SET LOCAL`,
 * through set_config): never a session `SET` or a startup parameter, which a pooler in transaction
 * mode refuses or hands to someone else's transaction.
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (tx: Transaction<Database>) => Promise<T>,
  limits: TransactionLimits = DEFAULT_LIMITS,
): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('statement_timeout', ${`${limits.statementTimeoutMs}ms`}, true), set_config('lock_timeout', ${`${limits.lockTimeoutMs}ms`}, true)`.execute(
      tx,
    )
    return fn(tx)
  })
}
