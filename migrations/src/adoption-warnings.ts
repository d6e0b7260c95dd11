import { sql, type Kysely } from 'kysely'
import { displayId, displayValue } from './display-value.js'
import { qualify } from './schema-name.js'

/** Something about an adopted database hms-admin works around instead of changing a row. */
export interface AdoptionWarning {
  code: 'handle.collision' | 'handle.index_missing' | 'handle.unusable' | 'session.unknown_status' | 'rls.enabled'
  /** One paragraph: what is wrong, the rows concerned (ids and masked values, never secrets), what to do. */
  message: string
  /** The ids of the rows concerned (at most LISTED), as the message shows them. */
  ids: string[]
  /** How many rows are concerned in all. */
  total: number
}

/** How many rows a warning names; the rest are counted. */
export const LISTED = 20
/** The name of the unique index on lower(handle). */
export const HANDLE_INDEX = 'influencers_handle_key_hms'
const USABLE_HANDLE = '^[A-Za-z0-9_.-]{1,64}$'

type Row = { id: string; value: string | null; total: number | string }

function listed(items: string[], total: number): string {
  return items.join(', ') + (total > items.length ? `, and ${total - items.length} more` : '')
}

function warning(
  code: AdoptionWarning['code'],
  rows: Row[],
  message: (list: string) => string,
  label: (r: Row) => string,
) {
  const total = Number(rows[0]?.total ?? 0)
  if (total === 0) return []
  const list = listed(
    rows.map((r) => `id ${displayId(r.id)} ${label(r)}`),
    total,
  )
  return [{ code, message: message(list), ids: rows.map((r) => displayId(r.id)), total }]
}

async function columnExists(db: Kysely<any>, schema: string, table: string, column: string): Promise<boolean> {
  const r =
    await sql`select 1 from information_schema.columns where table_schema = ${schema} and table_name = ${table} and column_name = ${column}`.execute(
      db,
    )
  return r.rows.length > 0
}

/** True when the unique index on lower(handle) exists in schema. */
export async function handleIndexExists(db: Kysely<any>, schema: string): Promise<boolean> {
  const r = await sql`select 1 from pg_indexes where schemaname = ${schema} and indexname = ${HANDLE_INDEX}`.execute(db)
  return r.rows.length > 0
}

/** Rows whose handles are equal when case is ignored (they block the unique index). */
export async function handleCollisions(db: Kysely<any>, schema: string): Promise<AdoptionWarning[]> {
  const rows = await sql<Row>`select id, value, count(*) over () as total from (
      select id::text as id, handle as value, lower(handle) as k, count(*) over (partition by lower(handle)) as n
      from ${sql.raw(qualify(schema, 'influencers'))} where handle is not null) x
    where n > 1 order by k, id limit ${LISTED}`.execute(db)
  return warning(
    'handle.collision',
    rows.rows,
    (list) =>
      `influencers: the unique index on lower(handle) was not added, because these rows share a handle when case is ignored: ${list}. Until each has its own handle, reach them by id or name; then run \`hms-admin migrate\` again to add the index.`,
    (r) => displayValue(r.value ?? ''),
  )
}

function unusableReason(handle: string | null): string {
  if (handle === null) return '(no handle)'
  if (handle.trim() === '') return '(empty handle)'
  if (/\s/.test(handle)) return `${displayValue(handle)} (handle has spaces)`
  if (handle.length > 64) return `${displayValue(handle)} (handle of ${handle.length} characters, at most 64)`
  return `${displayValue(handle)} (handle with characters other than letters, digits, "_", "." and "-")`
}

async function unusableHandles(db: Kysely<any>, schema: string): Promise<AdoptionWarning[]> {
  const rows = await sql<Row>`select id::text as id, handle as value, count(*) over () as total
    from ${sql.raw(qualify(schema, 'influencers'))} where handle is null or handle !~ ${USABLE_HANDLE}
    order by id limit ${LISTED}`.execute(db)
  return warning(
    'handle.unusable',
    rows.rows,
    (list) => `influencers: these rows have no usable handle, so hms-admin finds them by id or name only: ${list}.`,
    (r) => unusableReason(r.value),
  )
}

async function unknownStatuses(db: Kysely<any>, schema: string): Promise<AdoptionWarning[]> {
  const rows = await sql<Row>`select id::text as id, status::text as value, count(*) over () as total
    from ${sql.raw(qualify(schema, 'live_stream_sessions'))}
    where status is null or status::text not in ('scheduled', 'live', 'ended')
    order by status::text, id::text limit ${LISTED}`.execute(db)
  return warning(
    'session.unknown_status',
    rows.rows,
    (list) =>
      `live_stream_sessions: these rows have a status other than scheduled, live or ended; hms-admin reads them as not live (never served to viewers) and leaves them as they are: ${list}.`,
    (r) => (r.value === null ? '(no status)' : displayValue(r.value)),
  )
}

type RlsRow = { table: string; role: string; forced: boolean; owner: boolean; bypass: boolean }

async function rowLevelSecurity(db: Kysely<any>, schema: string): Promise<AdoptionWarning[]> {
  const r = await sql<RlsRow>`select c.relname as table, current_user as role, c.relforcerowsecurity as forced,
      pg_get_userbyid(c.relowner) = current_user as owner, r.rolsuper or r.rolbypassrls as bypass
    from pg_class c join pg_roles r on r.rolname = current_user
    where c.relnamespace = (select oid from pg_namespace where nspname = ${schema}) and c.relrowsecurity
      and c.relname in ('influencers', 'live_stream_sessions', 'hms_credential_events')
    order by c.relname`.execute(db)
  return r.rows.map((t) => {
    const role = displayValue(t.role)
    const effect = t.bypass
      ? `role ${role} bypasses it (superuser or BYPASSRLS), so hms-admin sees every row`
      : t.owner && !t.forced
        ? `role ${role} owns the table and it is not forced, so hms-admin sees every row`
        : `it applies to role ${role}: hms-admin reads and changes only the rows its policies allow, and audits only those`
    return {
      code: 'rls.enabled' as const,
      message: `${t.table}: row-level security is enabled; ${effect}.`,
      ids: [],
      total: 0,
    }
  })
}

function indexMissing(failure: string | undefined): AdoptionWarning {
  const why = failure === undefined ? 'is missing' : `could not be added (Postgres: ${failure})`
  return {
    code: 'handle.index_missing',
    message: `influencers: the unique index on lower(handle) ${why}, so two influencers could be given the same handle; \`hms-admin migrate\` tries to add it again.`,
    ids: [],
    total: 0,
  }
}

/**
 * What hms-admin works around in schema's tables (read only): handles that collide or cannot be
 * used, a missing unique handle index, unknown session statuses, row-level security.
 */
export async function adoptionWarnings(
  db: Kysely<any>,
  schema: string,
  options: { indexFailure?: string } = {},
): Promise<AdoptionWarning[]> {
  const warnings: AdoptionWarning[] = []
  if (await columnExists(db, schema, 'influencers', 'handle')) {
    if (!(await handleIndexExists(db, schema))) {
      const collisions = await handleCollisions(db, schema)
      warnings.push(...(collisions.length > 0 ? collisions : [indexMissing(options.indexFailure)]))
    }
    warnings.push(...(await unusableHandles(db, schema)))
  }
  if (await columnExists(db, schema, 'live_stream_sessions', 'status'))
    warnings.push(...(await unknownStatuses(db, schema)))
  warnings.push(...(await rowLevelSecurity(db, schema)))
  return warnings
}
