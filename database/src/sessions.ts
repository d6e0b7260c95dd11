import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Selectable } from 'kysely'
import type { Database, LiveStreamSessionsTable } from './database.js'
import type { InfluencerRow } from './influencers.js'

export type SessionRow = Selectable<LiveStreamSessionsTable>
export interface SessionWithInfluencer {
  session: SessionRow
  influencer: InfluencerRow
}
const S = ['id', 'influencer_id', 'title', 'status', 'started_at', 'ended_at'] as const

/** Starts a live session now. */
export async function startSession(
  db: Kysely<Database>,
  input: { influencerId: string; title?: string | null },
): Promise<SessionRow> {
  return db
    .insertInto('live_stream_sessions')
    .values({
      id: randomUUID(),
      influencer_id: input.influencerId,
      title: input.title ?? null,
      status: 'live',
      started_at: sql<Date>`now()` as never,
      ended_at: null,
    })
    .returning(S)
    .executeTakeFirstOrThrow()
}

/** Ends a session; undefined when there is no such session. */
export async function endSession(db: Kysely<Database>, sessionId: string): Promise<SessionRow | undefined> {
  return db
    .updateTable('live_stream_sessions')
    .set({ status: 'ended', ended_at: sql<Date>`coalesce(ended_at, now())` as never })
    .where('id', '=', sessionId)
    .returning(S)
    .executeTakeFirst()
}

export async function listSessions(
  db: Kysely<Database>,
  options: { status?: SessionRow['status']; limit?: number } = {},
): Promise<SessionRow[]> {
  let q = db
    .selectFrom('live_stream_sessions')
    .select(S)
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 100)
  if (options.status) q = q.where('status', '=', options.status)
  return q.execute()
}

/** The ids of the influencers that have a live session now. */
export async function liveInfluencerIds(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db
    .selectFrom('live_stream_sessions')
    .select('influencer_id')
    .where('status', '=', 'live')
    .execute()
  return new Set(rows.map((r) => r.influencer_id))
}

const INF = [
  'i.id as i_id',
  'i.name as i_name',
  'i.handle as i_handle',
  'i.hms_auth_token as i_hms_auth_token',
  'i.room_code as i_room_code',
  'i.hms_viewer_auth_token as i_hms_viewer_auth_token',
  'i.hms_viewer_room_code as i_hms_viewer_room_code',
  'i.hms_credentials_updated_at as i_hms_credentials_updated_at',
  'i.hms_credentials_version as i_hms_credentials_version',
] as const
const SS = ['s.id', 's.influencer_id', 's.title', 's.status', 's.started_at', 's.ended_at'] as const

function split(r: Record<string, unknown>): SessionWithInfluencer {
  const session: Record<string, unknown> = {}
  const influencer: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(r)) {
    if (k.startsWith('i_')) influencer[k.slice(2)] = v
    else session[k] = v
  }
  return { session: session as unknown as SessionRow, influencer: influencer as unknown as InfluencerRow }
}

/** Live sessions with their influencer (including credentials), newest first. */
export async function listLiveStreams(db: Kysely<Database>): Promise<SessionWithInfluencer[]> {
  const rows = await db
    .selectFrom('live_stream_sessions as s')
    .innerJoin('influencers as i', 'i.id', 's.influencer_id')
    .select([...SS, ...INF])
    .where('s.status', '=', 'live')
    .orderBy('s.started_at', 'desc')
    .orderBy('s.id')
    .execute()
  return rows.map((r) => split(r as Record<string, unknown>))
}

export async function getSessionWithInfluencer(
  db: Kysely<Database>,
  sessionId: string,
): Promise<SessionWithInfluencer | undefined> {
  const r = await db
    .selectFrom('live_stream_sessions as s')
    .innerJoin('influencers as i', 'i.id', 's.influencer_id')
    .select([...SS, ...INF])
    .where('s.id', '=', sessionId)
    .executeTakeFirst()
  return r ? split(r as Record<string, unknown>) : undefined
}
