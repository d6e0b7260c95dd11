import { containsSecret, parseDuration, SCHEMA_NAME_PATTERN } from '@hms-admin/core'
import { z } from 'zod'
import { CliError } from './errors.js'

// The CLI's edges: every flag value and environment variable a command reads goes through one of
// these zod rules. A value that breaks its rule is bad usage: one sentence naming the flag (never
// echoing the value, which may hold a password or a token), a hint, exit 2, nothing done.

/** A zod schema with the sentence that says what it accepts and a hint showing a good value. */
export interface InputRule<T> {
  schema: z.ZodType<T, unknown>
  /** Completes "<name> must be …". */
  must: string
  hint: string
}

function wholeNumber(min: number, max: number): z.ZodType<number, unknown> {
  return z
    .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)])
    .pipe(z.number().int().min(min).max(max))
}

const TRUE = ['1', 'true', 'yes', 'on']
const FALSE = ['0', 'false', 'no', 'off', '']

/** `--port`: 0 (any free port) to 65535. */
export const PORT: InputRule<number> = {
  schema: wholeNumber(0, 65535),
  must: 'a whole number from 0 to 65535',
  hint: 'For example --port 8787.',
}

/** `--rate-limit`: requests per client address per minute, 0 turns it off. */
export const RATE_LIMIT: InputRule<number> = {
  schema: wholeNumber(0, 1_000_000),
  must: 'a whole number from 0 (off) to 1000000',
  hint: 'For example --rate-limit 300.',
}

/** `history --limit`. */
export const HISTORY_LIMIT: InputRule<number> = {
  schema: wholeNumber(1, 10_000),
  must: 'a whole number from 1 to 10000',
  hint: 'For example --limit 20.',
}

/** A duration such as `12h`, `7d` or `30d`, in milliseconds. */
export const DURATION: InputRule<number> = {
  schema: z.string().transform((value, ctx) => {
    const ms = parseDuration(value)
    if (ms === null) ctx.addIssue({ code: 'custom', message: 'not a duration' })
    return ms ?? 0
  }),
  must: 'a duration such as 12h, 7d or 30d',
  hint: 'Use a number followed by s, m, h, d, w or y.',
}

/** `--database-url` / `DATABASE_URL`: a Postgres connection URL. */
export const DATABASE_URL: InputRule<string> = {
  schema: z
    .string()
    .trim()
    .refine((value) => /^(postgres|postgresql|socket):/i.test(value) && URL.canParse(value)),
  must: 'a postgres:// or postgresql:// URL',
  hint: 'For example postgres://user@db.example:5432/shop (or leave it unset for the embedded database).',
}

/** `serve --listen-url` / `HMS_ADMIN_LISTEN_URL`: a direct (session) connection, used only for LISTEN. */
export const LISTEN_URL: InputRule<string> = {
  schema: DATABASE_URL.schema,
  must: 'a postgres:// or postgresql:// URL of a direct (session) connection',
  hint: "For example Supabase's direct connection, postgres://postgres:…@db.<project>.supabase.co:5432/postgres.",
}

/** `serve --read-url` / `HMS_ADMIN_READ_URL`: a read replica for the hot reads. */
export const READ_URL: InputRule<string> = {
  schema: DATABASE_URL.schema,
  must: 'a postgres:// or postgresql:// URL of a read replica',
  hint: 'For example postgres://reader@replica.example:5432/shop (or leave it unset to read from DATABASE_URL).',
}

/** `serve --cache-max-age`: a duration from 0 (never serve from memory) to 1 hour, in milliseconds. */
export const CACHE_MAX_AGE: InputRule<number> = {
  schema: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const ms = value === '0' ? 0 : parseDuration(value)
      if (ms === null) ctx.addIssue({ code: 'custom', message: 'not a duration' })
      return ms ?? 0
    })
    .pipe(z.number().max(60 * 60 * 1000)),
  must: 'a duration from 0 to 1h such as 30s',
  hint: 'For example --cache-max-age 30s (0 never serves an answer from memory).',
}

// A path is echoed in messages and becomes a file name: one holding a pasted token is refused.
const PATH_SCHEMA = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .regex(/^[^\0]+$/)
  .refine((value) => !containsSecret(value))

/** `--data-dir` / `HMS_ADMIN_DATA_DIR`: the embedded database's directory. */
export const DATA_DIR: InputRule<string> = {
  schema: PATH_SCHEMA,
  must: 'a directory path that holds no token or room code',
  hint: 'For example --data-dir ./.hms-admin.',
}

/** `audit --output`, `import --file`: a file path (or `-` for stdin where the command reads). */
export const FILE_PATH: InputRule<string> = {
  schema: PATH_SCHEMA,
  must: 'a file path that holds no token or room code',
  hint: 'For example --output audit.sarif; a token goes to set-token on stdin, never into a path.',
}

/** `--schema` / `HMS_ADMIN_SCHEMA`: the schema holding the app's tables; a pasted token is refused (never echoed). */
export const SCHEMA: InputRule<string> = {
  schema: z
    .string()
    .trim()
    .regex(SCHEMA_NAME_PATTERN)
    .refine((value) => !/^(eyJ|HMS_)/.test(value)),
  must: 'a schema name: letters, digits and "_", not starting with a digit, at most 63 characters, never a token',
  hint: 'For example --schema app (or HMS_ADMIN_SCHEMA=app); leave it unset for public.',
}

/** `--host`: an address or host name to listen on. */
export const HOST: InputRule<string> = {
  schema: z
    .string()
    .trim()
    .regex(/^[^\s/]{1,253}$/),
  must: 'an address or host name',
  hint: 'Use --host 127.0.0.1 (this machine) or --host 0.0.0.0 (every interface).',
}

/** `--allow-origin`: an http(s) origin, normalised (`https://Shop.example/` -> `https://shop.example`). */
export const ORIGIN: InputRule<string> = {
  schema: z
    .string()
    .trim()
    .refine((value) => {
      if (!URL.canParse(value)) return false
      const url = new URL(value)
      return /^https?:$/.test(url.protocol) && url.pathname === '/' && !url.search && !url.hash && !url.username
    })
    .transform((value) => new URL(value).origin),
  must: 'an origin: http(s), a host and an optional port, nothing after',
  hint: 'For example --allow-origin https://shop.example (repeat it for several).',
}

/** An on/off switch in the environment (`HMS_ALLOW_BROADCASTER_FALLBACK`). */
export const SWITCH: InputRule<boolean> = {
  schema: z
    .string()
    .trim()
    .toLowerCase()
    .refine((value) => TRUE.includes(value) || FALSE.includes(value))
    .transform((value) => TRUE.includes(value)),
  must: '1 (on) or 0 (off)',
  hint: 'For example HMS_ALLOW_BROADCASTER_FALLBACK=1, or leave it unset.',
}

/** `session list --status`. */
export const SESSION_STATUS: InputRule<'scheduled' | 'live' | 'ended'> = {
  schema: z.enum(['scheduled', 'live', 'ended']),
  must: 'scheduled, live or ended',
  hint: 'For example --status live.',
}

/** The environment variables the CLI reads, with their rules; empty counts as unset. */
const ENVIRONMENT: Record<string, InputRule<unknown>> = {
  DATABASE_URL,
  HMS_ADMIN_DATA_DIR: DATA_DIR,
  HMS_ADMIN_SCHEMA: SCHEMA,
  HMS_ALLOW_BROADCASTER_FALLBACK: SWITCH,
  HMS_ADMIN_LISTEN_URL: LISTEN_URL,
  HMS_ADMIN_READ_URL: READ_URL,
}

/** Fails with exit 2 when a variable the CLI reads is set to a malformed value (before anything is opened). */
export function checkEnvironment(env: Record<string, string | undefined>): void {
  for (const [name, rule] of Object.entries(ENVIRONMENT)) {
    const value = env[name]
    if (value) parseInput(name, rule, value)
  }
}

/** Parses `value` (of the flag or variable `name`) with `rule`, or fails with exit 2. */
export function parseInput<T>(name: string, rule: InputRule<T>, value: unknown): T {
  const result = rule.schema.safeParse(value)
  if (result.success) return result.data
  throw new CliError(2, `${name} must be ${rule.must}.`, rule.hint)
}

/** The flag's value when given, else the variable's unless unset or empty, parsed with `rule`. */
export function flagOrEnv<T>(
  [flagName, flag]: [string, string | undefined],
  [variable, value]: [string, string | undefined],
  rule: InputRule<T>,
): T | undefined {
  if (flag !== undefined) return parseInput(flagName, rule, flag)
  return value ? parseInput(variable, rule, value) : undefined
}

/** `migrate --role`: which kind of database role to print or apply grants for. */
export const ROLE_KIND: InputRule<'operator' | 'read-only' | 'serve'> = {
  schema: z.enum(['operator', 'read-only', 'serve']),
  must: 'operator, read-only or serve',
  hint: 'For example: hms-admin migrate --print-grants --role serve hms_serve',
}

/** The role name of `migrate --print-grants`: a plain Postgres identifier. */
export const ROLE_NAME: InputRule<string> = {
  schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/),
  must: 'a plain role name (letters, digits and _, not starting with a digit, at most 63 characters)',
  hint: 'For example: hms-admin migrate --print-grants --role read-only hms_audit',
}
