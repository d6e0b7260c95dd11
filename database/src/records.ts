import type { Selectable } from 'kysely'
import type { Credentials } from '@hms-admin/core'
import type { InfluencersTable, LiveStreamSessionsTable, SessionStatus } from './database.js'

/** An influencer as hms-admin works with it. */
export interface Influencer {
  id: string
  /** The display name ('' when an adopted row has none). */
  name: string
  /** The handle, or null when an adopted row has none (such influencers are found by id or name). */
  handle: string | null
  /** The four stored secrets, as stored (core's inspection trims them and treats blank as absent). */
  credentials: Credentials
  /** Incremented by every credential write (optimistic concurrency). */
  credentialsVersion: number
  credentialsUpdatedAt: Date | null
}

/** A live-stream session. */
export interface Session {
  id: string
  influencerId: string
  title: string | null
  /** The stored status; any other value of an adopted table reads as `scheduled` (never live). */
  status: SessionStatus
  startedAt: Date | null
  endedAt: Date | null
}

/** A session with its influencer, as the endpoint reads them. */
export interface SessionWithInfluencer {
  session: Session
  influencer: Influencer
}

/** The influencer columns besides `id` (a join with sessions takes the id from `influencer_id`). */
const INFLUENCER_DATA_COLUMNS = [
  'name',
  'handle',
  'hms_auth_token',
  'room_code',
  'hms_viewer_auth_token',
  'hms_viewer_room_code',
  'hms_credentials_updated_at',
  'hms_credentials_version',
] as const

/** The influencer columns every query selects, in one list. */
export const INFLUENCER_COLUMNS = ['id', ...INFLUENCER_DATA_COLUMNS] as const

/** The session columns every query selects, in one list. */
export const SESSION_COLUMNS = ['id', 'influencer_id', 'title', 'status', 'started_at', 'ended_at'] as const

function qualified<T extends string, C extends string>(table: T, columns: readonly C[]): `${T}.${C}`[] {
  return columns.map((column) => `${table}.${column}` as const)
}

/** The columns of `live_stream_sessions as s` joined with `influencers as i`, mapped by toSessionWithInfluencer. */
export const SESSION_WITH_INFLUENCER_COLUMNS = [
  ...qualified('s', SESSION_COLUMNS),
  ...qualified('i', INFLUENCER_DATA_COLUMNS),
]

type InfluencerColumns = Pick<Selectable<InfluencersTable>, (typeof INFLUENCER_COLUMNS)[number]>
type SessionColumns = Pick<Selectable<LiveStreamSessionsTable>, (typeof SESSION_COLUMNS)[number]>

function toDate(value: Date | string | null): Date | null {
  return value === null ? null : value instanceof Date ? value : new Date(value)
}

/** Maps an `influencers` row: the one place a row becomes an Influencer. */
export function toInfluencer(row: InfluencerColumns): Influencer {
  return {
    id: String(row.id),
    name: row.name ?? '',
    handle: row.handle,
    credentials: {
      broadcasterToken: row.hms_auth_token,
      broadcasterRoomCode: row.room_code,
      viewerToken: row.hms_viewer_auth_token,
      viewerRoomCode: row.hms_viewer_room_code,
    },
    credentialsVersion: Number(row.hms_credentials_version ?? 0),
    credentialsUpdatedAt: toDate(row.hms_credentials_updated_at),
  }
}

const STATUSES: ReadonlySet<string> = new Set<SessionStatus>(['scheduled', 'live', 'ended'])

/** Maps a `live_stream_sessions` row: the one place a row becomes a Session. */
export function toSession(row: SessionColumns): Session {
  return {
    id: String(row.id),
    influencerId: String(row.influencer_id),
    title: row.title,
    status: STATUSES.has(row.status) ? row.status : 'scheduled',
    startedAt: toDate(row.started_at),
    endedAt: toDate(row.ended_at),
  }
}

/** Maps a row of SESSION_WITH_INFLUENCER_COLUMNS. */
export function toSessionWithInfluencer(row: SessionColumns & Omit<InfluencerColumns, 'id'>): SessionWithInfluencer {
  return { session: toSession(row), influencer: toInfluencer({ ...row, id: row.influencer_id }) }
}
