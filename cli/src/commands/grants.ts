import { sql } from 'kysely'
import type { CliDeps, GlobalOptions } from '../deps.js'
import { CliError } from '../errors.js'
import { json, line } from '../output.js'
import { databaseLocation, withDatabase } from '../context.js'
import { parseInput, ROLE_KIND, ROLE_NAME } from '../cli-input.js'

/** Options of `hms-admin migrate --print-grants`. */
export interface GrantsOptions {
  printGrants?: boolean
  role?: string
  apply?: boolean
}

const PURPOSE = {
  operator: 'writes credentials and sessions (the CLI)',
  'read-only': 'reads for audits, list, show and export',
  serve: 'hands viewer credentials out (serve)',
} as const

/**
 * `hms-admin migrate --print-grants --role <kind> <name> [--apply]`: prints the SQL that gives a
 * database role exactly what one part of hms-admin needs; runs it only with --apply.
 */
export async function runGrants(
  deps: CliDeps,
  global: GlobalOptions,
  options: GrantsOptions,
  roleName: string | undefined,
): Promise<number> {
  if (!options.printGrants)
    throw new CliError(
      2,
      '--role and --apply go with --print-grants.',
      'hms-admin migrate --print-grants --role serve hms_serve',
    )
  if (options.role === undefined || roleName === undefined)
    throw new CliError(
      2,
      '--print-grants needs --role <kind> and the role name.',
      'For example: hms-admin migrate --print-grants --role serve hms_serve',
    )
  const kind = parseInput('--role', ROLE_KIND, options.role)
  const name = parseInput('the role name', ROLE_NAME, roleName)
  const m = await import('@hms-admin/migrations')
  const { schema } = databaseLocation(deps.env, global)
  const statements = m.grantStatements(kind, name, {
    migrationNames: Object.keys(m.migrations),
    ...(schema ? { schema } : {}),
  })
  if (!options.apply) {
    if (global.json) json(deps.stdout, { role: name, kind, applied: false, statements })
    else {
      line(deps.stdout, `-- hms-admin: the ${kind} role "${name}" ${PURPOSE[kind]}.`)
      line(
        deps.stdout,
        '-- Run as the owner of the tables; create the role first, e.g. CREATE ROLE ... LOGIN PASSWORD ...;',
      )
      line(deps.stdout, 'BEGIN;')
      for (const s of statements) line(deps.stdout, s)
      line(deps.stdout, 'COMMIT;')
    }
    return 0
  }
  return withDatabase(deps, global, async ({ db, backend }) => {
    if (backend !== 'postgres')
      throw new CliError(
        2,
        'Database roles exist only on a Postgres server; the embedded database is protected by its file modes.',
        'Pass --database-url (or DATABASE_URL) to apply grants.',
      )
    try {
      await db.transaction().execute(async (trx) => {
        for (const s of statements) await sql.raw(s).execute(trx)
      })
    } catch (error) {
      const message = (error as { message?: string }).message ?? 'unknown error'
      throw new CliError(
        3,
        `Postgres refused the grants: ${message}.`,
        `Create the role first (CREATE ROLE ${name} LOGIN) and run as the owner of the tables.`,
      )
    }
    if (global.json) json(deps.stdout, { role: name, kind, applied: true, statements })
    else line(deps.stderr, `Granted the ${kind} privileges to "${name}" (${statements.length} statements).`)
    return 0
  })
}
