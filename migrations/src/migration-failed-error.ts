import { maskSecretsIn } from './display-value.js'

/** A migration failed: names it and carries Postgres's own message (anything secret-shaped masked). */
export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError'
  /** Postgres's message, masked. */
  readonly reason: string
  constructor(
    /** The migration that failed, or null when the migrator failed before running one (its lock or table). */
    readonly migrationName: string | null,
    cause: unknown,
  ) {
    const reason = maskSecretsIn(cause instanceof Error ? cause.message : String(cause))
    super(
      migrationName === null
        ? `The migrations could not start: ${reason}`
        : `The migration ${migrationName} failed: ${reason}`,
      { cause },
    )
    this.reason = reason
  }
}

/** The schema to migrate does not exist (hms-admin does not create it: a typo would hide the app's tables). */
export class SchemaNotFoundError extends Error {
  override readonly name = 'SchemaNotFoundError'
  constructor(readonly schema: string) {
    super(`The schema "${schema}" does not exist.`)
  }
}
