import { Readable } from 'node:stream'
import { runCli } from '../src/run-cli.js'
import { scriptedPrompts } from '../src/prompts.js'
import { openDatabase, type DatabaseOptions } from '../src/db/open-database.js'

/** Runs the CLI in-process against a database with captured output. */
export async function cli(db: DatabaseOptions, argv: string[], o: { stdin?: string | Readable; tty?: boolean; answers?: (string | boolean)[]; env?: Record<string, string> } = {}) {
  let stdout = ''
  let stderr = ''
  const stdin = (typeof o.stdin === 'string' || o.stdin === undefined ? Readable.from(o.stdin === undefined ? [] : [o.stdin]) : o.stdin) as Readable & { isTTY?: boolean }
  if (o.tty) stdin.isTTY = true
  const globals = db.databaseUrl ? ['--database-url', db.databaseUrl] : ['--data-dir', db.dataDir!]
  const code = await runCli([...globals, ...argv], {
    stdout: { write: (s: string) => { stdout += s; return true } },
    stderr: { write: (s: string) => { stderr += s; return true } },
    stdin,
    env: { USER: 'tester', ...o.env },
    prompts: scriptedPrompts(o.answers ?? []),
    now: () => new Date(),
    openDatabase,
  })
  return { code, stdout, stderr, all: stdout + stderr }
}
