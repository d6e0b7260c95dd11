/** The public entry of @hms-admin/cli. */
export { runCli, defaultDeps } from './run-cli.js'
export { CliError } from './errors.js'
export type { CliDeps, GlobalOptions } from './deps.js'
export { scriptedPrompts, inquirerPrompts, type Prompts } from './prompts.js'
export * from './db/index.js'
export * from './serve/index.js'
// db and serve both re-export the change channel; this explicit export is the package's one
// (an explicit export takes precedence over the two `export *`).
export { CHANGES_CHANNEL } from './db/index.js'
