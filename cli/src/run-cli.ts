import type { CliDeps } from './deps.js'
import { CliError } from './errors.js'
import { inquirerPrompts } from './prompts.js'

/** The default dependencies: the real process and database (loaded lazily). */
export function defaultDeps(): CliDeps {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    prompts: inquirerPrompts(),
    now: () => new Date(),
    openDatabase: async (options) => (await import('@hms-admin/database')).openDatabase(options),
  }
}

/** Runs hms-admin with argv (without node and script); the one place errors map to exit codes. */
export async function runCli(argv: readonly string[], overrides: Partial<CliDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps(), ...overrides }
  let code = 0
  // commander's own errors echo unknown commands, options and arguments: held back, then masked
  // like every error (core, which masks, is loaded only when there is something to mask).
  const commanderOutput: string[] = []
  const { buildProgram } = await import('./program.js')
  const program = buildProgram(
    deps,
    (c) => {
      code = c
    },
    (s) => commanderOutput.push(s),
  )
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return code
  } catch (error) {
    return await report(deps, error)
  } finally {
    if (commanderOutput.length > 0)
      deps.stderr.write(await masked(commanderOutput.join('')).catch(() => 'error: invalid usage (run with --help)\n'))
  }
}

async function masked(text: string): Promise<string> {
  const { redactSecrets } = await import('@hms-admin/core')
  return redactSecrets(text)
}

async function fail(deps: CliDeps, code: number, message: string, hint?: string): Promise<number> {
  // Messages may echo user input (a handle, a query, an option value): whatever could be a
  // secret pasted into the wrong place is masked here, for every error.
  deps.stderr.write(await masked(`Error: ${message}\n${hint ? `Hint: ${hint}\n` : ''}`))
  return code
}

async function report(deps: CliDeps, error: unknown): Promise<number> {
  const e = error as { name?: string; code?: string; exitCode?: number; message?: string; hint?: string }
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    deps.stderr.write('Cancelled.\n')
    return 130
  }
  if (error instanceof CliError) return fail(deps, error.exitCode, error.message, error.hint)
  if (typeof e?.code === 'string' && e.code.startsWith('commander.')) {
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code)) return 0
    return 2 // commander already printed the message and the --help pointer
  }
  const { isDatabaseUnavailableError } = await import('@hms-admin/database')
  if (isDatabaseUnavailableError(error)) {
    const which = e?.name === 'DatabaseUnavailableError' && e.message ? e.message : 'The database cannot be reached.'
    return fail(
      deps,
      3,
      which,
      'Check --database-url / DATABASE_URL (or --data-dir), that the server is running, then retry.',
    )
  }
  if (e?.code === '42501') {
    // insufficient_privilege: Postgres's own sentence names the table, never a value.
    return fail(
      deps,
      3,
      `The database refused: ${e.message ?? 'permission denied'}.`,
      'This database role may not do that; use a role with the operator grants (hms-admin migrate --print-grants --role operator <name>).',
    )
  }
  return fail(
    deps,
    3,
    `Unexpected failure (${e?.name ?? 'Error'}).`,
    'Retry; if it persists, run with the same arguments and report the message above.',
  )
}
