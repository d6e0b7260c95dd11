import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type Transaction,
} from 'kysely'

// Any 64-bit key of hms-admin's own; Kysely's session lock used another.
const LOCK_KEY = '7217458350137645361'

/** Kysely's Postgres adapter minus its session-level lock (the transaction already holds one). */
class LockedAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** A dialect whose only connection is a transaction already open. */
function transactionDialect(trx: Transaction<unknown>): Dialect {
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery) => trx.executeQuery(query) as Promise<QueryResult<R>>,
    streamQuery: () => {
      throw new Error('streaming is not used by migrations')
    },
  }
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  }
  return {
    createAdapter: () => new LockedAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  }
}

/**
 * Runs `fn` in one transaction that holds a transaction-scoped advisory lock
 * (`pg_advisory_xact_lock`), with a Kysely bound to that transaction. Kysely's own migration lock
 * is a session lock taken before its transaction: through a pooler in transaction mode it lands on
 * one server connection and its unlock on another, so it is never released and the next migration
 * waits forever. A transaction lock is released by the commit or rollback, wherever it ran.
 */
export async function withMigrationLock<T>(db: Kysely<any>, fn: (locked: Kysely<any>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_KEY)}::bigint)`.execute(trx)
    return fn(new Kysely<any>({ dialect: transactionDialect(trx) }))
  })
}
