import type { CliDeps, GlobalOptions } from '../deps.js'
import { CliError } from '../errors.js'
import { json, line } from '../output.js'
import { withDatabase } from '../context.js'

/** `hms-admin migrate [--status]`. */
export async function runMigrate(deps: CliDeps, global: GlobalOptions, options: { status?: boolean }): Promise<number> {
  const m = await import('@hms-admin/migrations')
  return withDatabase(
    deps,
    global,
    async ({ db, label }) => {
      if (options.status) {
        const status = await m.migrationStatus(db)
        if (global.json)
          json(deps.stdout, {
            migrations: status.map((s) => ({ name: s.name, executedAt: s.executedAt?.toISOString() ?? null })),
          })
        else for (const s of status) line(deps.stdout, `${s.executedAt ? 'applied' : 'pending'}  ${s.name}`)
        return 0
      }
      let result: Awaited<ReturnType<typeof m.migrateToLatest>>
      try {
        result = await m.migrateToLatest(db)
      } catch {
        throw new CliError(
          3,
          'The database migration failed.',
          'Check the database log, then run `hms-admin migrate --status`.',
        )
      }
      const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
      if (global.json) json(deps.stdout, { database: label, applied })
      else
        line(
          deps.stderr,
          applied.length
            ? `Applied ${applied.length} migration(s) to ${label}: ${applied.join(', ')}`
            : `${label} is up to date.`,
        )
      return 0
    },
    false,
  )
}
