import type { Readable } from 'node:stream'
import type { Prompts } from './prompts.js'
import type { Sink } from './output.js'
import type { DatabaseHandle, DatabaseOptions } from '@hms-admin/database'

/** Everything a command touches outside itself; tests pass their own. */
export interface CliDeps {
  stdout: Sink
  stderr: Sink
  stdin: Readable & { isTTY?: boolean }
  env: Record<string, string | undefined>
  prompts: Prompts
  now: () => Date
  openDatabase: (options: DatabaseOptions) => Promise<DatabaseHandle>
}

/** Global options (DESIGN.md section 4). */
export interface GlobalOptions {
  databaseUrl?: string
  dataDir?: string
  /** The schema holding the app's tables (`--schema`, env HMS_ADMIN_SCHEMA; default public). */
  schema?: string
  json?: boolean
}
