import type { CliDeps, GlobalOptions } from '../deps.js'
import { CliError } from '../errors.js'
import { colours, json, line, table } from '../output.js'
import { resolveInfluencer, withDatabase } from '../context.js'

/** `hms-admin history [<influencer>] --limit N`. */
export async function runHistory(
  deps: CliDeps,
  global: GlobalOptions,
  query: string | undefined,
  options: { limit?: string },
): Promise<number> {
  const limit = options.limit === undefined ? 50 : Number(options.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000)
    throw new CliError(2, '--limit must be a whole number from 1 to 10000.', 'For example --limit 20.')
  const { listCredentialEvents } = await import('@hms-admin/database')
  return withDatabase(deps, global, async (handle) => {
    const row = query === undefined ? undefined : await resolveInfluencer(handle, query)
    const events = await listCredentialEvents(handle.db, { ...(row ? { influencerId: row.id } : {}), limit })
    const items = events.map((e) => ({
      at: new Date(e.at).toISOString(),
      influencerId: e.influencer_id,
      actor: e.actor,
      action: e.action,
      field: e.field,
      oldFingerprint: e.old_fingerprint,
      newFingerprint: e.new_fingerprint,
    }))
    if (global.json) json(deps.stdout, { events: items })
    else if (items.length === 0) line(deps.stderr, 'No credential changes recorded yet.')
    else {
      const t = table(
        deps.stdout,
        ['AT', 'ACTOR', 'CHANGE', 'FINGERPRINT (OLD -> NEW)', ...(row ? [] : ['INFLUENCER ID'])],
        colours(deps.stdout, deps.env).bold,
      )
      for (const e of items)
        t.row([
          e.at,
          e.actor,
          `${e.action} ${e.field}`,
          `${e.oldFingerprint ?? '-'} -> ${e.newFingerprint ?? '-'}`,
          ...(row ? [] : [e.influencerId]),
        ])
      t.end()
    }
    return 0
  })
}
