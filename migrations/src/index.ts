import {
  Migrator,
  sql,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  type MigrationInfo,
} from 'kysely'
import * as createCredentialTables from './create-credential-tables.js'
import * as addChangeTriggers from './add-change-triggers.js'
import * as addHandoutsAndBulkActions from './add-handouts-and-bulk-actions.js'

/** Every migration, in order, by name (YYYY_MM_DD_HHMMSS_verb_noun). */
export const migrations: Record<string, Migration> = {
  '2026_11_28_060000_create_credential_tables': createCredentialTables,
  '2026_11_28_060100_add_change_triggers': addChangeTriggers,
  '2026_12_02_100000_add_handouts_and_bulk_actions': addHandoutsAndBulkActions,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider,
    migrationTableName: 'hms_admin_migrations',
    migrationLockTableName: 'hms_admin_migrations_lock',
  })
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) throw result.error
  return result
}

/** Applies every pending migration (a no-op when up to date). Throws the migration's error. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  return check(await migrator(db).migrateToLatest())
}

/** True when every migration is applied: two cheap reads, no lock (false when never migrated). */
export async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  const table = await sql<{ t: string | null }>`select to_regclass('hms_admin_migrations')::text as t`.execute(db)
  if (table.rows[0]?.t == null) return false
  const applied = await sql<{ name: string }>`select name from hms_admin_migrations`.execute(db)
  const names = new Set(applied.rows.map((r) => r.name))
  return Object.keys(migrations).every((name) => names.has(name))
}

/** Reverts every applied migration, newest first. */
export async function migrateDown(db: Kysely<any>): Promise<MigrationResultSet> {
  const m = migrator(db)
  const results: NonNullable<MigrationResultSet['results']> = []
  for (;;) {
    const r = check(await m.migrateDown())
    if (!r.results || r.results.length === 0) return { results }
    results.push(...r.results)
  }
}

/** Each migration with whether (and when) it was applied. */
export async function migrationStatus(db: Kysely<any>): Promise<readonly MigrationInfo[]> {
  return migrator(db).getMigrations()
}
