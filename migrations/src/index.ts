import {
  Migrator,
  sql,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  type MigrationInfo,
} from 'kysely'
import { createCredentialTables } from './create-credential-tables.js'
import { addChangeTriggers } from './add-change-triggers.js'
import { addHandoutsAndBulkActions } from './add-handouts-and-bulk-actions.js'
import { addSecretLookupIndexes } from './add-secret-lookup-indexes.js'
import { adoptConstraints } from './adopt-constraints.js'
import type { AdoptionWarning } from './adoption-warnings.js'
import { MigrationFailedError, SchemaNotFoundError } from './migration-failed-error.js'
import { DEFAULT_SCHEMA } from '@hms-admin/core'
import { qualify } from './schema-name.js'
import { withMigrationLock } from './migration-lock.js'

export { adoptionWarnings, type AdoptionWarning } from './adoption-warnings.js'
export { adoptConstraints } from './adopt-constraints.js'
export { MigrationFailedError, SchemaNotFoundError } from './migration-failed-error.js'
export { qualify, quoteIdent } from './schema-name.js'

/** Where to migrate: the schema holding the app's tables (default public). */
export interface MigrateOptions {
  schema?: string
}

/** Every migration for `schema`, in order, by name (YYYY_MM_DD_HHMMSS_verb_noun). */
export function migrationsFor(schema: string = DEFAULT_SCHEMA): Record<string, Migration> {
  return {
    '2026_11_28_060000_create_credential_tables': createCredentialTables(schema),
    '2026_11_28_060100_add_change_triggers': addChangeTriggers(schema),
    '2026_12_02_100000_add_handouts_and_bulk_actions': addHandoutsAndBulkActions(schema),
    '2026_12_03_070000_add_secret_lookup_indexes': addSecretLookupIndexes(schema),
  }
}

/** Every migration for the public schema, in order, by name. */
export const migrations: Record<string, Migration> = migrationsFor()

function migrator(db: Kysely<any>, schema: string): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(schema) }
  return new Migrator({
    db,
    provider,
    migrationTableName: 'hms_admin_migrations',
    migrationLockTableName: 'hms_admin_migrations_lock',
    migrationTableSchema: schema,
    // withMigrationLock holds the transaction and the lock.
    disableTransactions: true,
  })
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (!result.error) return result
  const failed = result.results?.find((r) => r.status === 'Error')
  throw new MigrationFailedError(failed?.migrationName ?? null, result.error)
}

async function requireSchema(db: Kysely<any>, schema: string): Promise<void> {
  const r = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db)
  if (r.rows.length === 0) throw new SchemaNotFoundError(schema)
}

/** What migrateToLatest did: kysely's results, and what the adopted tables made it work around. */
export type MigrateResult = MigrationResultSet & { warnings: AdoptionWarning[] }

/**
 * Applies every pending migration (a no-op when up to date), then adds the constraints the rows
 * allow (adoptConstraints). Throws MigrationFailedError naming the migration, with Postgres's message.
 */
export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions = {}): Promise<MigrateResult> {
  const schema = options.schema ?? DEFAULT_SCHEMA
  await requireSchema(db, schema)
  const result = await withMigrationLock(db, async (locked) => check(await migrator(locked, schema).migrateToLatest()))
  // After the migrations' transaction, never in it: an index the rows refuse must not undo them.
  return { ...result, warnings: await adoptConstraints(db, schema) }
}

/** True when every migration is applied: two cheap reads, no lock (false when never migrated). */
export async function isUpToDate(db: Kysely<any>, options: MigrateOptions = {}): Promise<boolean> {
  const table = qualify(options.schema ?? DEFAULT_SCHEMA, 'hms_admin_migrations')
  const found = await sql<{ t: string | null }>`select to_regclass(${table})::text as t`.execute(db)
  if (found.rows[0]?.t == null) return false
  const applied = await sql<{ name: string }>`select name from ${sql.raw(table)}`.execute(db)
  const names = new Set(applied.rows.map((r) => r.name))
  return Object.keys(migrations).every((name) => names.has(name))
}

/** Reverts every applied migration, newest first. */
export async function migrateDown(db: Kysely<any>, options: MigrateOptions = {}): Promise<MigrationResultSet> {
  return withMigrationLock(db, async (locked) => {
    const m = migrator(locked, options.schema ?? DEFAULT_SCHEMA)
    const results: NonNullable<MigrationResultSet['results']> = []
    for (;;) {
      const r = check(await m.migrateDown())
      if (!r.results || r.results.length === 0) return { results }
      results.push(...r.results)
    }
  })
}

/** Each migration with whether (and when) it was applied. */
export async function migrationStatus(
  db: Kysely<any>,
  options: MigrateOptions = {},
): Promise<readonly MigrationInfo[]> {
  const schema = options.schema ?? DEFAULT_SCHEMA
  await requireSchema(db, schema)
  return migrator(db, schema).getMigrations()
}

export { grantStatements, ROLE_KINDS, type GrantOptions, type RoleKind } from './grant-statements.js'
