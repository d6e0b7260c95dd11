import type { CliDeps, GlobalOptions } from '../deps.js'
import { influencerLabel } from '../influencer-label.js'
import { CliError } from '../errors.js'
import { parseInput, SESSION_STATUS } from '../cli-input.js'
import { colours, json, line, table } from '../output.js'
import { resolveInfluencer, withDatabase } from '../context.js'
import { looksLikeCredential } from './influencer.js'
import { isUuid, type Session } from '@hms-admin/database'

function sessionJson(s: Session) {
  return { ...s, startedAt: s.startedAt?.toISOString() ?? null, endedAt: s.endedAt?.toISOString() ?? null }
}

/** `hms-admin session start <influencer> [--title T]`. */
export async function runSessionStart(
  deps: CliDeps,
  global: GlobalOptions,
  query: string,
  options: { title?: string },
): Promise<number> {
  const { startSession } = await import('@hms-admin/database')
  const { containsSecret } = await import('@hms-admin/core')
  // A title is served to anonymous viewers: a pasted credential is refused.
  if (options.title !== undefined && containsSecret(options.title)) throw looksLikeCredential('title')
  return withDatabase(deps, global, async (handle) => {
    const row = await resolveInfluencer(handle, query)
    const s = await startSession(handle.db, { influencerId: row.id, title: options.title ?? null })
    if (global.json) json(deps.stdout, sessionJson(s))
    else line(deps.stdout, `Started live session ${s.id} for ${influencerLabel(row)}.`)
    return 0
  })
}

/** `hms-admin session end <id>`. */
export async function runSessionEnd(deps: CliDeps, global: GlobalOptions, id: string): Promise<number> {
  if (!isUuid(id)) throw new CliError(2, `"${id}" is not a session id.`, 'Run `hms-admin session list` to see the ids.')
  const { endSession } = await import('@hms-admin/database')
  return withDatabase(deps, global, async (handle) => {
    const s = await endSession(handle.db, id.toLowerCase())
    if (!s) throw new CliError(2, `No session has the id ${id}.`, 'Run `hms-admin session list` to see the ids.')
    if (global.json) json(deps.stdout, sessionJson(s))
    else line(deps.stdout, `Ended session ${s.id}.`)
    return 0
  })
}

/** `hms-admin session list`. */
export async function runSessionList(
  deps: CliDeps,
  global: GlobalOptions,
  options: { status?: string },
): Promise<number> {
  const status = options.status === undefined ? undefined : parseInput('--status', SESSION_STATUS, options.status)
  const { handoutTotals, listSessions } = await import('@hms-admin/database')
  return withDatabase(deps, global, async (handle) => {
    const rows = await listSessions(handle.db, status ? { status } : {})
    const handouts = await handoutTotals(
      handle.db,
      rows.map((r) => r.id),
    )
    // Viewer-credential answers by HTTP status, as serve counted them (flushed every 10 s).
    const counted = (id: string) => handouts.get(id) ?? {}
    const total = (id: string) => Object.values(counted(id)).reduce((a, b) => a + b, 0)
    if (global.json)
      json(deps.stdout, {
        sessions: rows.map((r) => ({ ...sessionJson(r), handouts: { total: total(r.id), byStatus: counted(r.id) } })),
      })
    else if (rows.length === 0) line(deps.stderr, 'No sessions.')
    else {
      const t = table(
        deps.stdout,
        ['ID', 'STATUS', 'STARTED', 'INFLUENCER ID', 'HAND-OUTS', 'TITLE'],
        colours(deps.stdout, deps.env).bold,
      )
      const shown = (id: string) =>
        `${total(id)}${
          total(id) > 0
            ? ` (${Object.entries(counted(id))
                .map(([st, n]) => `${st}: ${n}`)
                .join(', ')})`
            : ''
        }`
      for (const s of rows.map(sessionJson))
        t.row([s.id, s.status, s.startedAt ?? '-', s.influencerId, shown(s.id), s.title ?? ''])
      t.end()
    }
    return 0
  })
}
