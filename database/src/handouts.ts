import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'

/** Viewer-credential answers counted in one minute for one session and HTTP status. */
export interface HandoutCount {
  sessionId: string
  /** The start of the minute. */
  minute: Date
  status: number
  count: number
}

/** Adds counts to `hms_viewer_handouts` in one statement (an existing row's count grows). */
export async function addHandouts(db: Kysely<Database>, rows: readonly HandoutCount[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('hms_viewer_handouts')
    .values(rows.map((r) => ({ session_id: r.sessionId, minute: r.minute, status: r.status, count: r.count })))
    .onConflict((oc) =>
      oc
        .columns(['session_id', 'minute', 'status'])
        .doUpdateSet({ count: sql`hms_viewer_handouts.count + excluded.count` }),
    )
    .execute()
}

/** Total hand-outs per session and status, for the given sessions. */
export async function handoutTotals(
  db: Kysely<Database>,
  sessionIds: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const totals = new Map<string, Record<string, number>>()
  if (sessionIds.length === 0) return totals
  const rows = await db
    .selectFrom('hms_viewer_handouts')
    .select(['session_id', 'status', sql<string>`sum(count)`.as('n')])
    .where(sql`session_id::text`, 'in', sql`(select unnest(${[...sessionIds]}::text[]))`)
    .groupBy(['session_id', 'status'])
    .execute()
  for (const r of rows) {
    const id = String(r.session_id)
    totals.set(id, { ...totals.get(id), [String(r.status)]: Number(r.n) })
  }
  return totals
}

/** Total hand-outs by status over all sessions of one influencer. */
export async function influencerHandouts(db: Kysely<Database>, influencerId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('hms_viewer_handouts as h')
    .innerJoin('live_stream_sessions as s', 's.id', 'h.session_id')
    .select(['h.status', sql<string>`sum(h.count)`.as('n')])
    .where('s.influencer_id', '=', influencerId)
    .groupBy('h.status')
    .execute()
  return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]))
}
