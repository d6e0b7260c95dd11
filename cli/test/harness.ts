import { Readable } from 'node:stream'
import { runCli } from '../src/run-cli.js'
import { scriptedPrompts, type Prompts } from '../src/prompts.js'
import { openDatabase, type DatabaseOptions } from '@hms-admin/database'

/** How to run the CLI once: stdin text or stream, which sinks are terminals, prompt answers, env. */
export interface CliRunOptions {
  stdin?: string | Readable
  /** stdin is a terminal (interactive set-token). */
  tty?: boolean
  stdoutTTY?: boolean
  stderrTTY?: boolean
  answers?: (string | boolean)[]
  /** A prompts implementation of the test's own (e.g. one that waits); overrides `answers`. */
  prompts?: Prompts
  env?: Record<string, string>
  /** The CLI's clock (default: the real one). */
  now?: Date
}

/**
 * Runs the CLI in-process with captured output, against `db` (passed as --database-url or
 * --data-dir) or, with `null`, against whatever the env says.
 */
export async function cli(db: DatabaseOptions | null, argv: string[], o: CliRunOptions = {}) {
  let stdout = ''
  let stderr = ''
  const stdin = (
    typeof o.stdin === 'string' || o.stdin === undefined
      ? Readable.from(o.stdin === undefined ? [] : [o.stdin])
      : o.stdin
  ) as Readable & { isTTY?: boolean }
  if (o.tty) stdin.isTTY = true
  const globals = db === null ? [] : db.databaseUrl ? ['--database-url', db.databaseUrl] : ['--data-dir', db.dataDir!]
  const code = await runCli([...globals, ...argv], {
    stdout: {
      write: (s: string) => {
        stdout += s
        return true
      },
      ...(o.stdoutTTY ? { isTTY: true } : {}),
    },
    stderr: {
      write: (s: string) => {
        stderr += s
        return true
      },
      ...(o.stderrTTY ? { isTTY: true } : {}),
    },
    stdin,
    env: { USER: 'tester', ...o.env },
    prompts: o.prompts ?? scriptedPrompts(o.answers ?? []),
    now: () => (o.now ? new Date(o.now) : new Date()),
    openDatabase,
  })
  return { code, stdout, stderr, all: stdout + stderr }
}
