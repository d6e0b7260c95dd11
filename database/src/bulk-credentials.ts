import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import { CREDENTIAL_FIELDS, fingerprintSecret, type CredentialField, type Credentials } from '@hms-admin/core'
import type { Database } from './database.js'
import { INFLUENCER_COLUMNS, toInfluencer, type Influencer } from './records.js'
import { sha256Hex } from './sha256-hex.js'
import { trimmedSecret } from './trimmed-secret.js'

/** One influencer's new values in a bulk write; `current` is what the caller read at `expectedVersion`. */
export interface BulkCredentialChange {
  influencerId: string
  expectedVersion: number
  current: Credentials
  /** Only set values; a slot left out (or undefined) stays as it is. */
  changes: Partial<Record<CredentialField, string>>
}

/** What a bulk write did, or why it wrote nothing. */
export type BulkWriteResult =
  | { ok: true; influencers: number; events: number; created: number }
  | { ok: false; reason: 'conflict'; influencerIds: string[] }

class Conflict extends Error {
  constructor(readonly influencerIds: string[]) {
    super('conflict')
  }
}

const EVENT_BATCH = 1000

/**
 * Writes many influencers' credentials in ONE transaction: optional new influencers, one UPDATE
 * per batch (arrays, not one statement per row), each row only at its expected version, and one
 * history event per changed field. Any version conflict rolls everything back.
 */
export async function writeCredentialsInBulk(
  db: Kysely<Database>,
  input: {
    changes: readonly BulkCredentialChange[]
    create?: readonly { id: string; handle: string; name: string }[]
    actor: string
    action: 'import' | 'rotate'
  },
): Promise<BulkWriteResult> {
  try {
    return await db.transaction().execute(async (tx) => {
      const created = input.create ?? []
      for (let i = 0; i < created.length; i += EVENT_BATCH)
        await tx
          .insertInto('influencers')
          .values(created.slice(i, i + EVENT_BATCH).map((c) => ({ ...c, hms_credentials_version: 0 })))
          .execute()
      const changes = input.changes.filter((c) => CREDENTIAL_FIELDS.some((f) => c.changes[f] !== undefined))
      await updateAtVersions(tx, changes)
      const events = changes.flatMap((c) => eventsOf(c, input.actor, input.action))
      for (let i = 0; i < events.length; i += EVENT_BATCH)
        await tx
          .insertInto('hms_credential_events')
          .values(events.slice(i, i + EVENT_BATCH))
          .execute()
      return { ok: true, influencers: changes.length, events: events.length, created: created.length } as const
    })
  } catch (error) {
    if (error instanceof Conflict) return { ok: false, reason: 'conflict', influencerIds: error.influencerIds }
    throw error
  }
}

async function updateAtVersions(tx: Transaction<Database>, changes: readonly BulkCredentialChange[]): Promise<void> {
  if (changes.length === 0) return
  const column = (f: CredentialField) => changes.map((c) => c.changes[f] ?? null)
  const v = sql`(select * from unnest(${changes.map((c) => c.influencerId)}::text[], ${changes.map((c) => c.expectedVersion)}::int[],
      ${column('broadcasterToken')}::text[], ${column('broadcasterRoomCode')}::text[],
      ${column('viewerToken')}::text[], ${column('viewerRoomCode')}::text[]) as u(id, version, bt, brc, vt, vrc))`
  // Ids compare as text: an adopted table's id may be uuid, bigint or text.
  const rows = await tx
    .updateTable('influencers as i')
    .from(v.as('v'))
    .set({
      hms_auth_token: sql`coalesce(v.bt, i.hms_auth_token)`,
      room_code: sql`coalesce(v.brc, i.room_code)`,
      hms_viewer_auth_token: sql`coalesce(v.vt, i.hms_viewer_auth_token)`,
      hms_viewer_room_code: sql`coalesce(v.vrc, i.hms_viewer_room_code)`,
      hms_credentials_updated_at: sql`now()`,
      hms_credentials_version: sql`i.hms_credentials_version + 1`,
    })
    .where(sql<boolean>`i.id::text = v.id and i.hms_credentials_version = v.version`)
    .returning(sql<string>`i.id::text`.as('id'))
    .execute()
  if (rows.length === changes.length) return
  const done = new Set(rows.map((row) => row.id))
  throw new Conflict(changes.map((c) => c.influencerId).filter((id) => !done.has(id)))
}

function eventsOf(c: BulkCredentialChange, actor: string, action: 'import' | 'rotate') {
  return CREDENTIAL_FIELDS.filter((f) => c.changes[f] !== undefined).map((f) => ({
    influencer_id: c.influencerId,
    actor,
    action,
    field: f,
    old_fingerprint: c.current[f] === null ? null : fingerprintSecret(c.current[f]!, sha256Hex),
    new_fingerprint: fingerprintSecret(c.changes[f]!, sha256Hex),
  }))
}

/** A fresh influencer id for a bulk create. */
export const newInfluencerId = (): string => randomUUID()

/**
 * The influencers an import names: by id, by handle (lowercase, without @) or by name (lowercase),
 * each list joined as a set (hash joins), so a file of 10,000 names reads 10,000 rows, not all.
 */
export async function findInfluencersNamed(db: Kysely<Database>, typed: readonly string[]): Promise<Influencer[]> {
  if (typed.length === 0) return []
  const lower = [...new Set(typed.map((t) => t.trim().toLowerCase()))]
  const handles = [...new Set(lower.map((t) => t.replace(/^@/, '')))]
  const among = (list: string[]) => sql`(select unnest(${list}::text[]))`
  const base = () => db.selectFrom('influencers').select(INFLUENCER_COLUMNS)
  const rows = await base()
    .where(sql`lower(handle)`, 'in', among(handles))
    .union(base().where(sql`id::text`, 'in', among(lower)))
    .union(base().where(sql`lower(name)`, 'in', among(lower)))
    .execute()
  return rows.map(toInfluencer)
}

/** Who holds each of `values` (compared trimmed), in which slot. */
export async function findHoldersOfSecrets(
  db: Kysely<Database>,
  values: readonly string[],
): Promise<{ influencerId: string; field: CredentialField; value: string }[]> {
  if (values.length === 0) return []
  const slots = sql.join(CREDENTIAL_FIELDS.map((f) => sql`(${sql.lit(f)}, ${trimmedSecret(f)})`))
  // One scan of influencers, each slot checked against the hashed set of values.
  const r = await sql<{ id: string; field: CredentialField; value: string }>`
    select i.id::text as id, f.field, f.value
    from (${db.selectFrom('influencers').selectAll()}) i cross join lateral (values ${slots}) as f(field, value)
    where f.value in (select unnest(${[...new Set(values)]}::text[]))`.execute(db)
  return r.rows.map((row) => ({ influencerId: row.id, field: row.field, value: row.value }))
}
