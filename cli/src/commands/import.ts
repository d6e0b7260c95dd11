import type { CliDeps, GlobalOptions } from '../deps.js'
import { CliError } from '../errors.js'
import { FILE_PATH, parseInput } from '../cli-input.js'
import { json, line, table } from '../output.js'
import { fallbackPolicy, withDatabase } from '../context.js'
import { parseImport } from '../import-rows.js'
import { planImport, type ImportPlan } from '../import-plan.js'
import { readLimited } from '../read-limited.js'
import { actorOf } from './set-token.js'

/** Options of `import`. */
export interface ImportOptions {
  file: string
  dryRun?: boolean
  force?: boolean
  createMissing?: boolean
  allowBroadcasterFallback?: boolean
}

/** `hms-admin import --file F|-`: all or nothing, validated like set-token, one transaction. */
export async function runImport(deps: CliDeps, global: GlobalOptions, options: ImportOptions): Promise<number> {
  const text = await readLimited(parseInput('--file', FILE_PATH, options.file), deps.stdin)
  const parsed = parseImport(text)
  const db = await import('@hms-admin/database')
  return withDatabase(deps, global, async (handle) => {
    const existing = await db.findInfluencersNamed(
      handle.db,
      parsed.rows.map((r) => r.influencer),
    )
    const plan = await planImport(parsed.rows, existing, {
      now: deps.now(),
      allowBroadcasterFallback: fallbackPolicy(deps, options.allowBroadcasterFallback),
      live: await db.liveInfluencerIds(handle.db),
      force: options.force === true,
      createMissing: options.createMissing === true,
      newId: db.newInfluencerId,
      holdersOf: (values) => db.findHoldersOfSecrets(handle.db, values),
    })
    const problems = [...parsed.problems, ...plan.problems].sort((a, b) => a.line - b.line)
    report(deps, global, plan, problems, options)
    if (problems.length > 0)
      throw new CliError(
        2,
        `The import has ${problems.length} problem(s); nothing was written.`,
        'Fix the lines listed above and re-run (--dry-run checks a file without writing).',
      )
    const created = plan.influencers.filter((p) => p.created)
    if (options.dryRun) {
      if (!global.json)
        line(
          deps.stdout,
          `Dry run: would change ${plan.diff.length} value(s) of ${plan.influencers.length} influencer(s)${created.length ? `, creating ${created.length}` : ''}; nothing written.`,
        )
      return 0
    }
    const result = await db.writeCredentialsInBulk(handle.db, {
      create: created.map((p) => ({ id: p.id, handle: p.handle, name: p.handle })),
      changes: plan.influencers.map((p) => ({
        influencerId: p.id,
        expectedVersion: p.version,
        current: p.current,
        changes: p.changes,
      })),
      actor: actorOf(deps),
      action: 'import',
    })
    if (!result.ok)
      throw new CliError(
        2,
        `${result.influencerIds.length} influencer(s) changed while the import ran; nothing was written.`,
        'Re-run the import to apply it on top of the new values.',
      )
    const summary = `Imported ${result.events} value(s) into ${result.influencers} influencer(s)${result.created ? ` (${result.created} created)` : ''}.`
    if (global.json)
      json(deps.stdout, {
        dryRun: false,
        ...resultJson(plan),
        written: { values: result.events, influencers: result.influencers, created: result.created },
      })
    else line(deps.stdout, summary)
    return 0
  })
}

function resultJson(plan: ImportPlan) {
  return {
    changes: plan.diff,
    created: plan.influencers.filter((p) => p.created).map((p) => ({ id: p.id, handle: p.handle })),
    forced: plan.forced,
  }
}

function report(
  deps: CliDeps,
  global: GlobalOptions,
  plan: ImportPlan,
  problems: ImportPlan['problems'],
  options: ImportOptions,
): void {
  for (const p of problems) line(deps.stderr, `line ${p.line}: ${p.message}`)
  for (const p of plan.forced) line(deps.stderr, `line ${p.line}: forced: ${p.message}`)
  if (global.json) {
    if (problems.length > 0 || options.dryRun)
      json(deps.stdout, { dryRun: options.dryRun === true, problems, ...resultJson(plan) })
    return
  }
  if (!options.dryRun || problems.length > 0) return
  const rows = table(deps.stdout, ['LINE', 'INFLUENCER', 'FIELD', 'OLD', 'NEW'])
  const labels = new Map(plan.influencers.map((p) => [p.handle, p.label]))
  for (const d of plan.diff)
    rows.row([String(d.line), labels.get(d.influencer) ?? d.influencer, d.field, d.old ?? '-', d.new])
  rows.end()
}
