/** The public entry of @hms-admin/database: the connection (Postgres or embedded PGlite) and the repositories. */
export type {
  Database,
  InfluencersTable,
  LiveStreamSessionsTable,
  HmsCredentialEventsTable,
  HmsViewerHandoutsTable,
  SessionStatus,
} from './database.js'
export { DatabaseUnavailableError, isDatabaseUnavailableError } from './errors.js'
export {
  openDatabase,
  CHANGES_CHANNEL,
  type DatabaseOptions,
  type DatabaseHandle,
} from './open-database.js'
export { embeddedSocketDir, isEmbeddedOwner } from './embedded-server.js'
export { UnsafeSocketError } from './socket-location.js'
export {
  addInfluencer,
  findInfluencer,
  findSecretsSharedWithOthers,
  findSecretsSharedAmong,
  findSharedSecretsInDatabase,
  getInfluencer,
  listInfluencers,
  streamInfluencers,
  updateCredentials,
  type FindInfluencerResult,
  type UpdateCredentialsResult,
} from './influencers.js'
export {
  endSession,
  getSessionWithInfluencer,
  listLiveStreams,
  listSessions,
  liveInfluencerIds,
  startSession,
} from './sessions.js'
export { toInfluencer, type Influencer, type Session, type SessionWithInfluencer } from './records.js'
export {
  writeCredentialsInBulk,
  findInfluencersNamed,
  findHoldersOfSecrets,
  newInfluencerId,
  type BulkCredentialChange,
  type BulkWriteResult,
} from './bulk-credentials.js'
export { addHandouts, handoutTotals, influencerHandouts, type HandoutCount } from './handouts.js'
export { listCredentialEvents, type CredentialEventRow } from './credential-events.js'
export { isUuid } from './is-uuid.js'
export { inTransaction, type TransactionLimits } from './in-transaction.js'
export { sha256Hex } from './sha256-hex.js'
