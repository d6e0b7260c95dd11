/** A failure the CLI reports as one sentence plus a hint, with the exit code it maps to. */
export class CliError extends Error {
  constructor(
    readonly exitCode: 1 | 2 | 3 | 130,
    message: string,
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'CliError'
  }
}
