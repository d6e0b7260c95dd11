/** A PgBouncer of the caller's own in front of a Postgres server, in transaction mode. */
export interface TestPgBouncer {
  /** The pooled URL of `database` (trust authentication, user postgres). */
  url(database: string): string
  port: number
  /** Stops it at once (SIGTERM: PgBouncer's immediate shutdown, every client connection cut). */
  stop(): Promise<void>
  /** Starts it again on the same port. */
  start(): Promise<void>
  /** Stops it and removes its files. */
  close(): Promise<void>
}

/**
 * Starts Debian's `pgbouncer` on a free loopback port in front of `target` (a postgres:// URL; every
 * database name is forwarded), with the stock settings but `pool_mode = transaction`. Resolves once
 * it accepts connections. The one launcher: the tests (pgbouncer.ts) and bench/pooler.bench.mjs use it.
 */
export function startPgBouncer(target: string): Promise<TestPgBouncer>
