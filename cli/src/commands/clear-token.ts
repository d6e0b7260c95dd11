import type { CredentialField, Credentials } from '@hms-admin/core'
import { influencerLabel } from '../influencer-label.js'
import type { CliDeps, GlobalOptions } from '../deps.js'
import { CliError } from '../errors.js'
import { json, line } from '../output.js'
import { resolveInfluencer, withDatabase } from '../context.js'
import { actorOf } from './set-token.js'

/** `hms-admin clear-token <influencer> --viewer|--broadcaster|--all`. */
export async function runClearToken(
  deps: CliDeps,
  global: GlobalOptions,
  query: string,
  options: { viewer?: boolean; broadcaster?: boolean; all?: boolean },
): Promise<number> {
  const fields: CredentialField[] = []
  if (options.broadcaster || options.all) fields.push('broadcasterToken', 'broadcasterRoomCode')
  if (options.viewer || options.all) fields.push('viewerToken', 'viewerRoomCode')
  if (fields.length === 0)
    throw new CliError(2, 'Say which credentials to clear.', 'Pass --viewer, --broadcaster or --all.')
  const db = await import('@hms-admin/database')
  return withDatabase(deps, global, async (handle) => {
    const row = await resolveInfluencer(handle, query)
    const changes: Partial<Credentials> = Object.fromEntries(fields.map((f) => [f, null]))
    const result = await db.updateCredentials(handle.db, {
      influencerId: row.id,
      expectedVersion: row.credentialsVersion,
      changes,
      actor: actorOf(deps),
    })
    if (!result.ok)
      throw new CliError(
        2,
        `The credentials of ${influencerLabel(row)} changed meanwhile; nothing was cleared.`,
        'Re-run the command.',
      )
    if (global.json)
      json(deps.stdout, { influencer: row.id, clearedFields: result.changedFields, version: result.version })
    else
      line(
        deps.stdout,
        result.changedFields.length
          ? `Cleared ${result.changedFields.join(', ')} of ${influencerLabel(row)}.`
          : `Nothing to clear for ${influencerLabel(row)}.`,
      )
    return 0
  })
}
