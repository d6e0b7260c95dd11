import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import {
  CREDENTIAL_COLUMNS,
  CREDENTIAL_FIELDS,
  fingerprintSecret,
  trimSecret,
  type CredentialField,
  type Credentials,
  type SharedSecret,
} from '@hms-admin/core'
import type { Database } from './database.js'
import { INFLUENCER_COLUMNS as COLUMNS, toInfluencer, type Influencer } from './records.js'
import { sha256Hex } from './sha256-hex.js'
import { isUuid } from './is-uuid.js'
import { inTransaction } from './in-transaction.js'
import { trimmedSecret } from './trimmed-secret.js'

/** The kysely error of a value the column's type cannot read (a uuid given for a bigint id). */
function isInvalidInput(error: unknown): boolean {
  return (error as { code?: unknown }).code === '22P02'
}

/**
 * Adds an influencer with input.id, else a random uuid; an adopted table whose ids are not uuids
 * (bigint, integer) gets its own default instead.
 */
export async function addInfluencer(
  db: Kysely<Database>,
  input: { handle: string; name: string; id?: string },
): Promise<Influencer> {
  const insert = (id: string | undefined) =>
    db
      .insertInto('influencers')
      .values({
        ...(id === undefined ? {} : { id }),
        handle: input.handle,
        name: input.name,
        hms_auth_token: null,
        room_code: null,
        hms_viewer_auth_token: null,
        hms_viewer_room_code: null,
        hms_credentials_updated_at: null,
        hms_credentials_version: 0,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow()
  if (input.id !== undefined) return toInfluencer(await insert(input.id))
  try {
    return toInfluencer(await insert(randomUUID()))
  } catch (error) {
    if (!isInvalidInput(error)) throw error
    return toInfluencer(await insert(undefined))
  }
}

export async function listInfluencers(db: Kysely<Database>): Promise<Influencer[]> {
  const rows = await db.selectFrom('influencers').select(COLUMNS).orderBy('name').orderBy('id').execute()
  return rows.map(toInfluencer)
}

export async function getInfluencer(db: Kysely<Database>, id: string): Promise<Influencer | undefined> {
  const row = await db.selectFrom('influencers').select(COLUMNS).where('id', '=', id).executeTakeFirst()
  return row && toInfluencer(row)
}

export type FindInfluencerResult =
  | { kind: 'found'; influencer: Influencer }
  | { kind: 'ambiguous'; candidates: Influencer[] }
  | { kind: 'not_found'; suggestions: Influencer[] }

const ID_LIKE = /^[A-Za-z0-9_.:-]{1,128}$/
/** Digits an integer id type surely holds (a longer number could overflow and fail the query). */
const INTEGER_DIGITS: Record<string, number> = { smallint: 4, integer: 9, bigint: 18 }

/**
 * The influencer whose id is q, through the primary key's index. An adopted table's ids may be
 * uuid, bigint or text, so the type is read from a row first: a value the type cannot hold is never
 * sent (it would fail the query); other types compare as text.
 */
async function findById(db: Kysely<Database>, q: string): Promise<Influencer | undefined> {
  if (!ID_LIKE.test(q)) return undefined
  const sample = await db
    .selectFrom('influencers')
    .select(sql<string>`pg_typeof(id)::text`.as('type'))
    .limit(1)
    .executeTakeFirst()
  if (!sample) return undefined
  const digits = INTEGER_DIGITS[sample.type]
  if ((sample.type === 'uuid' && !isUuid(q)) || (digits !== undefined && !new RegExp(`^\\d{1,${digits}}$`).test(q)))
    return undefined
  const exact =
    sample.type === 'uuid' || digits !== undefined || sample.type === 'text' || sample.type === 'character varying'
  const row = await db
    .selectFrom('influencers')
    .select(COLUMNS)
    .where(exact ? sql<string>`id` : sql<string>`id::text`, '=', sample.type === 'uuid' ? q.toLowerCase() : q)
    .executeTakeFirst()
  return row && toInfluencer(row)
}

/** Finds by id, handle, or name (case-insensitive; a leading @ on a handle is ignored). */
export async function findInfluencer(db: Kysely<Database>, query: string): Promise<FindInfluencerResult> {
  const q = query.trim()
  const byId = await findById(db, q)
  if (byId) return { kind: 'found', influencer: byId }
  const h = q.replace(/^@/, '').toLowerCase()
  const byHandle = await db
    .selectFrom('influencers')
    .select(COLUMNS)
    .where(sql<string>`lower(handle)`, '=', h)
    .execute()
  if (byHandle.length === 1) return { kind: 'found', influencer: toInfluencer(byHandle[0]!) }
  const byName = await db
    .selectFrom('influencers')
    .select(COLUMNS)
    .where(sql<string>`lower(name)`, '=', q.toLowerCase())
    .orderBy('id')
    .limit(20)
    .execute()
  if (byHandle.length + byName.length === 1)
    return { kind: 'found', influencer: toInfluencer((byHandle[0] ?? byName[0])!) }
  if (byHandle.length + byName.length > 1)
    return { kind: 'ambiguous', candidates: [...byHandle, ...byName].map(toInfluencer) }
  const like = `%${h.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const suggestions = await db
    .selectFrom('influencers')
    .select(COLUMNS)
    .where((eb) => eb.or([eb(sql<string>`lower(handle)`, 'like', like), eb(sql<string>`lower(name)`, 'like', like)]))
    .orderBy('name')
    .limit(5)
    .execute()
  return { kind: 'not_found', suggestions: suggestions.map(toInfluencer) }
}

/**
 * All influencers in id order, batchSize rows at a time (keyset pagination: bounded memory). The
 * first page is requested at once, so it loads while the caller runs its other queries, and each
 * next page while the current one is consumed.
 */
export function streamInfluencers(
  db: Kysely<Database>,
  options: { batchSize?: number } = {},
): AsyncIterable<Influencer> {
  const size = options.batchSize ?? 1000
  const page = (after: string | null) => {
    let q = db.selectFrom('influencers').select(COLUMNS).orderBy('id').limit(size)
    if (after !== null) q = q.where('id', '>', after)
    const rows = q.execute()
    // Awaited later (or never, when the caller fails first): its failure is not unhandled meanwhile.
    rows.catch(() => undefined)
    return rows
  }
  let next = page(null)
  return (async function* () {
    for (;;) {
      const rows = await next
      if (rows.length === size) next = page(rows[rows.length - 1]!.id)
      yield* rows.map(toInfluencer)
      if (rows.length < size) return
    }
  })()
}

export type UpdateCredentialsResult =
  | { ok: true; version: number; changedFields: CredentialField[] }
  | { ok: false; reason: 'conflict' | 'not_found' }

/**
 * Applies changes when the stored version is expectedVersion; in the same transaction writes one
 * hms_credential_events row per changed field (fingerprints only).
 */
export async function updateCredentials(
  db: Kysely<Database>,
  input: {
    influencerId: string
    expectedVersion: number
    changes: Partial<Credentials>
    actor: string
    /** The history action of a set value (default 'set'; `rotate` records a renewal). */
    action?: 'set' | 'rotate'
  },
): Promise<UpdateCredentialsResult> {
  return inTransaction(db, async (tx) => {
    const row = await tx
      .selectFrom('influencers')
      .select(COLUMNS)
      .where('id', '=', input.influencerId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return { ok: false, reason: 'not_found' } as const
    const { credentials: current, credentialsVersion } = toInfluencer(row)
    if (credentialsVersion !== input.expectedVersion) return { ok: false, reason: 'conflict' } as const
    const changed = CREDENTIAL_FIELDS.filter(
      (f) => input.changes[f] !== undefined && (input.changes[f] ?? null) !== current[f],
    )
    if (changed.length === 0) return { ok: true, version: credentialsVersion, changedFields: [] }
    const set: Record<string, string | null> = {}
    for (const f of changed) set[CREDENTIAL_COLUMNS[f]] = input.changes[f] ?? null
    const updated = await tx
      .updateTable('influencers')
      .set({
        ...set,
        hms_credentials_updated_at: sql<Date>`now()` as never,
        hms_credentials_version: sql<number>`hms_credentials_version + 1` as never,
      })
      .where('id', '=', input.influencerId)
      .where('hms_credentials_version', '=', input.expectedVersion)
      .returning('hms_credentials_version')
      .executeTakeFirst()
    if (!updated) return { ok: false, reason: 'conflict' } as const
    await tx
      .insertInto('hms_credential_events')
      .values(
        changed.map((f) => {
          const next = input.changes[f] ?? null
          return {
            influencer_id: input.influencerId,
            actor: input.actor,
            action: next === null ? ('clear' as const) : (input.action ?? ('set' as const)),
            field: f,
            old_fingerprint: current[f] === null ? null : fingerprintSecret(current[f]!, sha256Hex),
            new_fingerprint: next === null ? null : fingerprintSecret(next, sha256Hex),
          }
        }),
      )
      .execute()
    return { ok: true, version: updated.hms_credentials_version, changedFields: changed }
  })
}

/** `(select * from "schema"."influencers")`: the table in raw SQL, qualified like every builder query. */
function fromInfluencers(db: Kysely<Database>) {
  return sql`(${db.selectFrom('influencers').selectAll()})`
}

/**
 * Secrets stored for more than one influencer, found in SQL: influencerId -> fields and how many share.
 * Values compare trimmed as core trims them. A first pass groups 8-byte hashes instead of sorting every secret
 * (a second over 100k influencers); only influencers in a colliding hash group are compared by value.
 */
export async function findSharedSecretsInDatabase(db: Kysely<Database>): Promise<Map<string, SharedSecret[]>> {
  const influencers = fromInfluencers(db)
  const hashes = sql.join(
    CREDENTIAL_FIELDS.map((f) => {
      const column = sql.ref(CREDENTIAL_COLUMNS[f])
      return sql`select id, hashtextextended(nullif(${trimmedSecret(f)}, ''), 0) as h from ${influencers} i where ${column} is not null`
    }),
    sql` union all `,
  )
  const values = sql.join(CREDENTIAL_FIELDS.map((f) => sql`(${sql.lit(f)}, nullif(${trimmedSecret(f)}, ''))`))
  const r = await sql<{ id: string; field: CredentialField; shared: number }>`
    with w as (select id, h, count(*) over (partition by h) as n from (${hashes}) x),
    candidates as (select distinct id from w where n > 1 and h is not null),
    v as (select i.id::text as id, f.field, f.value from ${influencers} i join candidates using (id) cross join lateral (values ${values}) f(field, value) where f.value is not null),
    c as (select value, count(distinct id)::int as n from v group by value having count(distinct id) > 1)
    select v.id, v.field, c.n - 1 as shared from v join c using (value) order by v.id, v.field`.execute(db)
  const map = new Map<string, SharedSecret[]>()
  for (const row of r.rows) {
    const list = map.get(row.id) ?? []
    list.push({ field: row.field, sharedWithCount: Number(row.shared) })
    map.set(row.id, list)
  }
  return map
}

/**
 * The slots of `credentials` whose (trimmed) value is stored, in any slot, for other influencers
 * than `influencerId`, with how many: one influencer's check, without scanning for every pair.
 */
export async function findSecretsSharedWithOthers(
  db: Kysely<Database>,
  influencerId: string,
  credentials: Partial<Credentials>,
): Promise<SharedSecret[]> {
  return (await findSecretsSharedAmong(db, [{ influencerId, credentials }])).get(String(influencerId)) ?? []
}

/**
 * The cross-influencer facts of a few influencers (say, the live ones): for each, the slots whose
 * (trimmed) value another stored influencer also holds, in any slot, and how many do. One query:
 * index lookups per given value (see add-secret-lookup-indexes); influencers without any are left out.
 */
export async function findSecretsSharedAmong(
  db: Kysely<Database>,
  influencers: readonly { influencerId: string; credentials: Partial<Credentials> }[],
): Promise<Map<string, SharedSecret[]>> {
  const owners: string[] = []
  const fields: CredentialField[] = []
  const values: string[] = []
  for (const { influencerId, credentials } of influencers)
    for (const field of CREDENTIAL_FIELDS) {
      const value = trimSecret(credentials[field] ?? '')
      if (!value) continue
      owners.push(String(influencerId))
      fields.push(field)
      values.push(value)
    }
  const map = new Map<string, SharedSecret[]>()
  if (values.length === 0) return map
  const table = fromInfluencers(db)
  // Per given value, one lookup per column in the secret lookup indexes (built on this expression).
  const holders = sql.join(
    CREDENTIAL_FIELDS.map((f) => sql`select i.id::text as holder from ${table} i where ${trimmedSecret(f)} = m.value`),
    sql` union all `,
  )
  const r = await sql<{ owner: string; field: CredentialField; n: number }>`
    select m.owner, m.field, count(distinct h.holder)::int as n
    from unnest(${owners}::text[], ${fields}::text[], ${values}::text[]) as m(owner, field, value)
    cross join lateral (${holders}) h
    where h.holder <> m.owner
    group by m.owner, m.field`.execute(db)
  const order = (field: CredentialField) => CREDENTIAL_FIELDS.indexOf(field)
  for (const row of r.rows) {
    const list = map.get(row.owner) ?? []
    list.push({ field: row.field, sharedWithCount: Number(row.n) })
    map.set(row.owner, list)
  }
  for (const list of map.values()) list.sort((a, b) => order(a.field) - order(b.field))
  return map
}
