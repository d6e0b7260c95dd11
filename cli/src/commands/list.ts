import type { CliDeps, GlobalOptions } from '../deps.js'
import { handleColumn } from '../influencer-label.js'
import { colours, json, line, table } from '../output.js'
import { fallbackPolicy, withDatabase } from '../context.js'
import { badge, reportJson, viewerReceivesText } from '../report-view.js'
import { sha256Hex } from '@hms-admin/database'

/** `hms-admin list`. */
export async function runList(
  deps: CliDeps,
  global: GlobalOptions,
  options: { allowBroadcasterFallback?: boolean },
): Promise<number> {
  const core = await import('@hms-admin/core')
  const db = await import('@hms-admin/database')
  const { liveInfluencerIds } = await import('@hms-admin/database')
  return withDatabase(deps, global, async (handle) => {
    const influencers = db.streamInfluencers(handle.db, { batchSize: 1000 })
    const [shared, live] = await Promise.all([db.findSharedSecretsInDatabase(handle.db), liveInfluencerIds(handle.db)])
    const allow = fallbackPolicy(deps, options.allowBroadcasterFallback)
    const now = deps.now()
    const items = []
    const rows = table(
      deps.stdout,
      ['HANDLE', 'NAME', 'ACCESS', 'EARLIEST EXPIRY', 'FINDINGS', 'VIEWERS RECEIVE'],
      colours(deps.stdout, deps.env).bold,
    )
    for await (const row of influencers) {
      const report = core.evaluateInfluencer({
        credentials: row.credentials,
        now,
        allowBroadcasterFallback: allow,
        isLive: live.has(row.id),
        sha256Hex,
        sharedSecrets: shared.get(row.id) ?? [],
      })
      if (global.json) {
        items.push(reportJson(row, report))
        continue
      }
      rows.row([
        handleColumn(row),
        row.name,
        badge(report.status),
        report.earliestExpiry?.toISOString() ?? '-',
        `${report.counts.error} error(s), ${report.counts.warning} warning(s)`,
        `viewers: ${viewerReceivesText(report)}`,
      ])
    }
    rows.end()
    if (!global.json && rows.count === 0)
      line(deps.stderr, 'No influencers yet. Add one with `hms-admin influencer add <handle> --name "Name"`.')
    if (global.json) json(deps.stdout, { broadcasterFallback: allow, influencers: items })
    return 0
  })
}
