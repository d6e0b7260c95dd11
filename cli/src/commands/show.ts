import type { CliDeps, GlobalOptions } from '../deps.js'
import { handleColumn } from '../influencer-label.js'
import { colours, json, line } from '../output.js'
import { fallbackPolicy, resolveInfluencer, withDatabase } from '../context.js'
import { badge, claimsText, findingLine, reportJson, viewerReceivesText } from '../report-view.js'
import { sha256Hex } from '@hms-admin/database'

/** `hms-admin show <influencer>`. */
export async function runShow(
  deps: CliDeps,
  global: GlobalOptions,
  query: string,
  options: { allowBroadcasterFallback?: boolean },
): Promise<number> {
  const core = await import('@hms-admin/core')
  const { findSecretsSharedWithOthers } = await import('@hms-admin/database')
  return withDatabase(deps, global, async (handle) => {
    const row = await resolveInfluencer(handle, query)
    const shared = await findSecretsSharedWithOthers(handle.db, row.id, row.credentials)
    const live = await handle.db
      .selectFrom('live_stream_sessions')
      .select('id')
      .where('influencer_id', '=', row.id)
      .where('status', '=', 'live')
      .executeTakeFirst()
    const report = core.evaluateInfluencer({
      credentials: row.credentials,
      now: deps.now(),
      allowBroadcasterFallback: fallbackPolicy(deps, options.allowBroadcasterFallback),
      isLive: Boolean(live),
      sha256Hex,
      sharedSecrets: shared,
    })
    const handouts = await (await import('@hms-admin/database')).influencerHandouts(handle.db, row.id)
    const handed = Object.values(handouts).reduce((a, b) => a + b, 0)
    if (global.json) {
      json(deps.stdout, { ...reportJson(row, report), handouts: { total: handed, byStatus: handouts } })
      return 0
    }
    const c = colours(deps.stdout, deps.env)
    line(deps.stdout, `${c.bold(handleColumn(row))} ${row.name}  ${row.id}`)
    line(
      deps.stdout,
      `Access: ${badge(report.status)}   earliest expiry: ${report.earliestExpiry?.toISOString() ?? '-'}`,
    )
    for (const s of Object.values(report.slots)) {
      line(
        deps.stdout,
        `  ${s.field.padEnd(20)} ${s.present ? `${s.masked}  ${s.fingerprint}${s.expiresAt ? `  expires ${s.expiresAt.toISOString()}` : ''}` : c.dim('(not set)')}`,
      )
      const claims = claimsText(s.claims)
      if (claims !== null) line(deps.stdout, `  ${''.padEnd(20)} ${c.dim(claims)}`)
    }
    line(deps.stdout, `Viewers receive: ${viewerReceivesText(report)}`)
    line(
      deps.stdout,
      `Hand-outs (viewer-credential answers of serve): ${handed}${
        handed
          ? ` (${Object.entries(handouts)
              .map(([s, n]) => `${s}: ${n}`)
              .join(', ')})`
          : ''
      }`,
    )
    if (report.findings.length === 0) line(deps.stdout, c.green('No findings.'))
    for (const f of report.findings) line(deps.stdout, findingLine(f, c))
    return 0
  })
}
