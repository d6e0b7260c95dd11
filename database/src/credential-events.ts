import type { Kysely, Selectable } from 'kysely'
import type { Database, HmsCredentialEventsTable } from './database.js'

export type CredentialEventRow = Selectable<HmsCredentialEventsTable>

/** The change log, newest first. */
export async function listCredentialEvents(
  db: Kysely<Database>,
  options: { influencerId?: string; limit?: number } = {},
): Promise<CredentialEventRow[]> {
  let q = db
    .selectFrom('hms_credential_events')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100)
  if (options.influencerId) q = q.where('influencer_id', '=', options.influencerId)
  return q.execute()
}
