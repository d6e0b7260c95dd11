/** The public entry of @hms-admin/cli. */
export { runCli, defaultDeps } from './run-cli.js'
export { CliError } from './errors.js'
export type { CliDeps, GlobalOptions } from './deps.js'
export { scriptedPrompts, inquirerPrompts, type Prompts } from './prompts.js'
