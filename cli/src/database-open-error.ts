import { CliError } from './errors.js'
import { isDatabaseUnavailableError, UnsafeSocketError } from '@hms-admin/database'

/**
 * Turns a failure to open the database into the CLI's exit-3 error. An unreachable database passes
 * through (run-cli reports it); anything else is an embedded data dir that cannot be used (a file in
 * the way, no permission, not a PGlite data dir) or a URL the driver rejects.
 */
export function databaseOpenError(error: unknown, options: { databaseUrl?: string; dataDir?: string }): unknown {
  if (error instanceof CliError || isDatabaseUnavailableError(error)) return error
  if (error instanceof UnsafeSocketError)
    return new CliError(
      3,
      `${error.message.replace(/\.$/, '')}, so hms-admin will not connect to it.`,
      `Delete ${options.dataDir ?? '.hms-admin'}/socket-dir (the next start makes a private one), or use a shorter --data-dir.`,
    )
  if (options.databaseUrl !== undefined) {
    return new CliError(
      3,
      'The database URL cannot be used.',
      'Check --database-url / DATABASE_URL, e.g. postgres://user:password@host:5432/database.',
    )
  }
  return new CliError(
    3,
    `The embedded database in ${options.dataDir ?? '.hms-admin'} cannot be opened.`,
    'Point --data-dir (or HMS_ADMIN_DATA_DIR) at a writable directory that only hms-admin uses, or pass --database-url.',
  )
}
