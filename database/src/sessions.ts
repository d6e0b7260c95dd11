import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Database, SessionStatus } from './database.js'
import {
  SESSION_COLUMNS as S,
  SESSION_WITH_INFLUENCER_COLUMNS,
  toSession,
  toSessionWithInfluencer,
  type Session,
  type SessionWithInfluencer,
} from './records.js'

/** Starts a live session now. */
export async function startSession(
  db: Kysely<Database>,
  input: { influencerId: string; title?: string | null },
): Promise<Session> {
  const row = await db
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
  return toSession(row)
}

/** Ends a session; undefined when there is no such session. */
export async function endSession(db: Kysely<Database>, sessionId: string): Promise<Session | undefined> {
  const row = await db
    .updateTable('live_stream_sessions')
    .set({ status: 'ended', ended_at: sql<Date>`coalesce(ended_at, now())` as never })
    .where('id', '=', sessionId)
    .returning(S)
    .executeTakeFirst()
  return row && toSession(row)
}

export async function listSessions(
  db: Kysely<Database>,
  options: { status?: SessionStatus; limit?: number } = {},
): Promise<Session[]> {
  let q = db
    .selectFrom('live_stream_sessions')
    .select(S)
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 100)
  if (options.status) q = q.where('status', '=', options.status)
  return (await q.execute()).map(toSession)
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

/** Live sessions with their influencer (including credentials), newest first. */
export async function listLiveStreams(db: Kysely<Database>): Promise<SessionWithInfluencer[]> {
  const rows = await db
    .selectFrom('live_stream_sessions as s')
    .innerJoin('influencers as i', 'i.id', 's.influencer_id')
    .select(SESSION_WITH_INFLUENCER_COLUMNS)
    .where('s.status', '=', 'live')
    .orderBy('s.started_at', 'desc')
    .orderBy('s.id')
    .execute()
  return rows.map(toSessionWithInfluencer)
}

export async function getSessionWithInfluencer(
  db: Kysely<Database>,
  sessionId: string,
): Promise<SessionWithInfluencer | undefined> {
  const r = await db
    .selectFrom('live_stream_sessions as s')
    .innerJoin('influencers as i', 'i.id', 's.influencer_id')
    .select(SESSION_WITH_INFLUENCER_COLUMNS)
    .where('s.id', '=', sessionId)
    .executeTakeFirst()
  return r && toSessionWithInfluencer(r)
}
