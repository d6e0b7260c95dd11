import type { CliDeps, GlobalOptions } from '../deps.js'
import { json, line } from '../output.js'
import { withDatabase } from '../context.js'
import { migrationError, printAdoptionWarnings } from '../migration-error.js'

const warningsJson = (warnings: readonly { code: string; message: string; ids: string[]; total: number }[]) =>
  warnings.map(({ code, message, ids, total }) => ({ code, message, ids, total }))

/** `hms-admin migrate [--status]`: applies migrations, then says what the adopted tables made it work around. */
export async function runMigrate(deps: CliDeps, global: GlobalOptions, options: { status?: boolean }): Promise<number> {
  const m = await import('@hms-admin/migrations')
  return withDatabase(
    deps,
    global,
    async (handle) => {
      const { db, label, schema } = handle
      if (options.status) {
        const status = await m.migrationStatus(db, { schema }).catch((error: unknown) => {
          throw migrationError(error, handle)
        })
        const warnings = status.every((s) => s.executedAt) ? await m.adoptionWarnings(db, schema) : []
        if (global.json)
          json(deps.stdout, {
            migrations: status.map((s) => ({ name: s.name, executedAt: s.executedAt?.toISOString() ?? null })),
            warnings: warningsJson(warnings),
          })
        else for (const s of status) line(deps.stdout, `${s.executedAt ? 'applied' : 'pending'}  ${s.name}`)
        if (!global.json) printAdoptionWarnings(deps, warnings)
        return 0
      }
      let result: Awaited<ReturnType<typeof m.migrateToLatest>>
      try {
        result = await m.migrateToLatest(db, { schema })
      } catch (error) {
        throw migrationError(error, handle)
      }
      const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
      if (global.json) json(deps.stdout, { database: label, applied, warnings: warningsJson(result.warnings) })
      else {
        line(
          deps.stderr,
          applied.length
            ? `Applied ${applied.length} migration(s) to ${label}: ${applied.join(', ')}`
            : `${label} is up to date.`,
        )
        printAdoptionWarnings(deps, result.warnings)
      }
      return 0
    },
    false,
  )
}
