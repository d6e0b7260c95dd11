import type { CliDeps } from './deps.js'
import { CliError } from './errors.js'
import { line } from './output.js'
import { isDatabaseUnavailableError, type DatabaseHandle } from '@hms-admin/database'
import { MigrationFailedError, SchemaNotFoundError, type AdoptionWarning } from '@hms-admin/migrations'

/**
 * A failed migration as the CLI reports it (exit 3): the migration's name and Postgres's own
 * message, or the missing schema. An unreachable database passes through (run-cli reports it).
 */
export function migrationError(error: unknown, handle: Pick<DatabaseHandle, 'label'>): unknown {
  if (isDatabaseUnavailableError(error) || error instanceof CliError) return error
  if (error instanceof SchemaNotFoundError)
    return new CliError(
      3,
      `The schema "${error.schema}" does not exist in ${handle.label}.`,
      'Check --schema (or HMS_ADMIN_SCHEMA): it names the schema that holds the app’s influencers table.',
    )
  if (error instanceof MigrationFailedError)
    return new CliError(
      3,
      `${error.message.replace(/\.?$/, '.')}`,
      'Nothing of that migration was applied; fix the cause, then run `hms-admin migrate` again.',
    )
  return error
}

/** Prints what the adopted tables made the migration work around, one warning per line, on stderr. */
export function printAdoptionWarnings(deps: Pick<CliDeps, 'stderr'>, warnings: readonly AdoptionWarning[]): void {
  for (const w of warnings) line(deps.stderr, `Warning: ${w.message}`)
}
