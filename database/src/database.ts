import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>

/** influencers: the app's table (possibly adopted) plus hms-admin's credential columns. */
export interface InfluencersTable {
  /** uuid in tables hms-admin creates; an adopted table's bigint or text ids read as strings too. */
  id: ColumnType<string, string | undefined, never>
  name: string
  handle: string | null
  hms_auth_token: string | null
  room_code: string | null
  hms_viewer_auth_token: string | null
  hms_viewer_room_code: string | null
  hms_credentials_updated_at: Timestamp | null
  hms_credentials_version: ColumnType<number, number | undefined, number>
}

export type SessionStatus = 'scheduled' | 'live' | 'ended'

export interface LiveStreamSessionsTable {
  id: string
  influencer_id: string
  title: string | null
  status: SessionStatus
  started_at: Timestamp | null
  ended_at: Timestamp | null
}

export interface HmsCredentialEventsTable {
  id: Generated<string>
  influencer_id: string
  at: ColumnType<Date, Date | string | undefined, never>
  actor: string
  action: 'set' | 'clear' | 'rotate' | 'import'
  field: string
  old_fingerprint: string | null
  new_fingerprint: string | null
}

/** Viewer-credential answers of `serve`, counted per session, minute and HTTP status. */
export interface HmsViewerHandoutsTable {
  session_id: string
  minute: Timestamp
  status: number
  count: ColumnType<number, number, number>
}

/** The tables hms-admin reads and writes. */
export interface Database {
  influencers: InfluencersTable
  live_stream_sessions: LiveStreamSessionsTable
  hms_credential_events: HmsCredentialEventsTable
  hms_viewer_handouts: HmsViewerHandoutsTable
}
