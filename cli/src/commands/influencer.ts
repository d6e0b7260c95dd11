import type { CliDeps, GlobalOptions } from '../deps.js'
import { handleColumn, influencerLabel } from '../influencer-label.js'
import { CliError } from '../errors.js'
import { colours, json, line, table } from '../output.js'
import { withDatabase } from '../context.js'

const HANDLE = /^@?[A-Za-z0-9_.-]{1,64}$/

/** The error for a handle, name or title that looks like a 100ms token or room code (pasted in the wrong place). */
export function looksLikeCredential(what: string): CliError {
  return new CliError(
    2,
    `The ${what} looks like a credential (a 100ms token or room code), so it was not stored.`,
    'Credentials go to `hms-admin set-token <influencer> --viewer-token -` (read from stdin).',
  )
}

/** `hms-admin influencer add <handle> --name N`. */
export async function runInfluencerAdd(
  deps: CliDeps,
  global: GlobalOptions,
  handle: string,
  options: { name: string },
): Promise<number> {
  if (!HANDLE.test(handle))
    throw new CliError(2, `"${handle}" is not a valid handle.`, 'Use letters, digits, "_", "." or "-" (at most 64).')
  const name = options.name.trim()
  if (!name) throw new CliError(2, 'The name must not be empty.', 'Pass --name "Display Name".')
  const { containsSecret } = await import('@hms-admin/core')
  // Handles and names are shown everywhere (and served to viewers): a pasted credential is refused.
  if (containsSecret(handle) || containsSecret(name))
    throw looksLikeCredential(containsSecret(handle) ? 'handle' : 'name')
  const { addInfluencer, findInfluencer } = await import('@hms-admin/database')
  return withDatabase(deps, global, async ({ db }) => {
    const clean = handle.replace(/^@/, '')
    const existing = await findInfluencer(db, `@${clean}`)
    // Ambiguous too: an adopted table may hold the handle twice (then it has no unique index).
    const holders =
      existing.kind === 'found' ? [existing.influencer] : existing.kind === 'ambiguous' ? existing.candidates : []
    if (holders.some((i) => (i.handle ?? '').toLowerCase() === clean.toLowerCase())) {
      throw new CliError(
        2,
        `The handle @${clean} is already taken.`,
        'Pick another handle, or use `hms-admin show` to see it.',
      )
    }
    // No id given: a random uuid, or the column's default when an adopted table's ids are numbers.
    const row = await addInfluencer(db, { handle: clean, name })
    if (global.json) json(deps.stdout, { id: row.id, handle: row.handle, name: row.name })
    else line(deps.stdout, `Added ${influencerLabel(row)} (${row.name}) ${row.id}`)
    return 0
  })
}

/** `hms-admin influencer list`. */
export async function runInfluencerList(deps: CliDeps, global: GlobalOptions): Promise<number> {
  const { listInfluencers } = await import('@hms-admin/database')
  return withDatabase(deps, global, async ({ db }) => {
    const rows = await listInfluencers(db)
    if (global.json) json(deps.stdout, { influencers: rows.map((r) => ({ id: r.id, handle: r.handle, name: r.name })) })
    else if (rows.length === 0)
      line(deps.stderr, 'No influencers yet. Add one with `hms-admin influencer add <handle> --name "Name"`.')
    else {
      const t = table(deps.stdout, ['HANDLE', 'NAME', 'ID'], colours(deps.stdout, deps.env).bold)
      for (const r of rows) t.row([handleColumn(r), r.name, r.id])
      t.end()
    }
    return 0
  })
}
