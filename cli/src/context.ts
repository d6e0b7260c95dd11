import type { CliDeps, GlobalOptions } from './deps.js'
import { handleColumn } from './influencer-label.js'
import { CliError } from './errors.js'
import { DATA_DIR, DATABASE_URL, flagOrEnv, parseInput, SCHEMA, SWITCH } from './cli-input.js'
import { databaseOpenError } from './database-open-error.js'
import { migrationError, printAdoptionWarnings } from './migration-error.js'
import type { DatabaseHandle } from '@hms-admin/database'
import type { Influencer } from '@hms-admin/database'

/**
 * Where the database is, from the global options, else the env: a Postgres URL, or the embedded
 * data dir, and the schema. An empty variable counts as unset; a malformed value fails with exit 2.
 */
export function databaseLocation(
  env: CliDeps['env'],
  global: Pick<GlobalOptions, 'databaseUrl' | 'dataDir' | 'schema'>,
): { databaseUrl?: string; dataDir: string; schema?: string } {
  const url = flagOrEnv(['--database-url', global.databaseUrl], ['DATABASE_URL', env.DATABASE_URL], DATABASE_URL)
  const dataDir = flagOrEnv(['--data-dir', global.dataDir], ['HMS_ADMIN_DATA_DIR', env.HMS_ADMIN_DATA_DIR], DATA_DIR)
  const schema = flagOrEnv(['--schema', global.schema], ['HMS_ADMIN_SCHEMA', env.HMS_ADMIN_SCHEMA], SCHEMA)
  return { ...(url ? { databaseUrl: url } : {}), dataDir: dataDir ?? '.hms-admin', ...(schema ? { schema } : {}) }
}

/** Opens the database from the global options and env, migrating it to the latest schema when behind. */
export async function withDatabase<T>(
  deps: CliDeps,
  global: GlobalOptions,
  fn: (handle: DatabaseHandle) => Promise<T>,
  migrate = true,
): Promise<T> {
  const options = {
    ...databaseLocation(deps.env, global),
    connectTimeoutMs: 5000,
    onWarning: (message: string) => deps.stderr.write(`Warning: ${message}\n`),
  }
  const handle = await deps.openDatabase(options).catch((error: unknown) => {
    throw databaseOpenError(error, options)
  })
  try {
    if (migrate) {
      const { isUpToDate, migrateToLatest } = await import('@hms-admin/migrations')
      const where = { schema: handle.schema }
      try {
        // The migrator takes a lock and runs several queries; checking first keeps reads cheap.
        if (!(await isUpToDate(handle.db, where)))
          printAdoptionWarnings(deps, (await migrateToLatest(handle.db, where)).warnings)
      } catch (error) {
        throw migrationError(error, handle)
      }
    }
    return await fn(handle)
  } finally {
    await handle.close()
  }
}

/** Resolves `<influencer>` (id, handle or name) or fails with the candidates listed (exit 2). */
export async function resolveInfluencer(handle: DatabaseHandle, query: string): Promise<Influencer> {
  const { findInfluencer } = await import('@hms-admin/database')
  const found = await findInfluencer(handle.db, query)
  if (found.kind === 'found') return found.influencer
  const list = (rows: Influencer[]) => rows.map((r) => `${handleColumn(r)} (${r.name}, ${r.id})`).join(', ')
  if (found.kind === 'ambiguous') {
    throw new CliError(
      2,
      `"${query}" matches ${found.candidates.length} influencers: ${list(found.candidates)}.`,
      'Use the handle or id instead.',
    )
  }
  throw new CliError(
    2,
    `No influencer matches "${query}".`,
    found.suggestions.length
      ? `Did you mean: ${list(found.suggestions)}?`
      : 'Run `hms-admin influencer list` to see them.',
  )
}

/** The broadcaster fallback policy from the flag or HMS_ALLOW_BROADCASTER_FALLBACK (1/0, true/false, yes/no, on/off). */
export function fallbackPolicy(deps: Pick<CliDeps, 'env'>, flag: boolean | undefined): boolean {
  const fromEnv = parseInput('HMS_ALLOW_BROADCASTER_FALLBACK', SWITCH, deps.env.HMS_ALLOW_BROADCASTER_FALLBACK ?? '')
  return flag === true || fromEnv
}
