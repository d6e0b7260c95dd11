import { CREDENTIAL_FIELD_LABELS, CREDENTIAL_FIELDS, type CredentialField, type Credentials } from '@hms-admin/core'
import { handleColumn, influencerLabel } from '../influencer-label.js'
import type { CliDeps, GlobalOptions } from '../deps.js'
import { CliError } from '../errors.js'
import { colours, json, line } from '../output.js'
import { fallbackPolicy, resolveInfluencer, withDatabase } from '../context.js'
import { readStdinValue } from '../read-stdin.js'
import { claimsText, findingJson, findingLine } from '../report-view.js'
import { sha256Hex } from '@hms-admin/database'

/** Options of `set-token`. */
export interface SetTokenOptions {
  broadcasterToken?: string
  broadcasterRoomCode?: string
  viewerToken?: string
  viewerRoomCode?: string
  force?: boolean
  dryRun?: boolean
  yes?: boolean
  allowBroadcasterFallback?: boolean
}

const FLAG: Record<CredentialField, string> = {
  broadcasterToken: '--broadcaster-token',
  broadcasterRoomCode: '--broadcaster-room-code',
  viewerToken: '--viewer-token',
  viewerRoomCode: '--viewer-room-code',
}

/** The actor recorded in the change log. */
export function actorOf(deps: CliDeps): string {
  return deps.env.HMS_ADMIN_ACTOR ?? deps.env.USER ?? deps.env.USERNAME ?? 'hms-admin'
}

/** `hms-admin set-token [<influencer>] --viewer-token …`. */
export async function runSetToken(
  deps: CliDeps,
  global: GlobalOptions,
  query: string | undefined,
  options: SetTokenOptions,
): Promise<number> {
  const core = await import('@hms-admin/core')
  const db = await import('@hms-admin/database')
  const given = CREDENTIAL_FIELDS.filter((f) => options[f] !== undefined)
  const interactive = given.length === 0 && deps.stdin.isTTY === true && !global.json
  if (given.length === 0 && !interactive)
    throw new CliError(
      2,
      'No credential given.',
      'Pass at least one of --viewer-token, --viewer-room-code, --broadcaster-token, --broadcaster-room-code (a value of - reads stdin).',
    )
  if (!interactive && query === undefined)
    throw new CliError(2, 'No influencer given.', 'Run `hms-admin set-token <influencer> --viewer-token -`.')
  if (given.filter((f) => options[f] === '-').length > 1)
    throw new CliError(
      2,
      'Only one value can be read from stdin at a time.',
      'Run set-token once per value read from stdin.',
    )
  const changes: Partial<Credentials> = {}
  for (const f of given) {
    const raw = options[f]!
    if (raw === '-') changes[f] = await readStdinValue(deps.stdin)
    else {
      if (raw.trim() === '')
        throw new CliError(2, `${FLAG[f]} is empty.`, 'Use `hms-admin clear-token` to remove a credential.')
      changes[f] = raw.trim()
      line(
        deps.stderr,
        `Warning: a secret on the command line (${FLAG[f]}) can land in your shell history and in \`ps\`; prefer ${FLAG[f]} - and pipe it in.`,
      )
    }
  }
  return withDatabase(deps, global, async (handle) => {
    let row: Awaited<ReturnType<typeof resolveInfluencer>>
    if (query !== undefined) row = await resolveInfluencer(handle, query)
    else {
      const all = await db.listInfluencers(handle.db)
      if (all.length === 0)
        throw new CliError(
          2,
          'There are no influencers yet.',
          'Add one with `hms-admin influencer add <handle> --name "Name"`.',
        )
      const id = await deps.prompts.select({
        message: 'Influencer',
        choices: all.map((r) => ({ name: `${handleColumn(r)} ${r.name} (${r.id})`, value: r.id })),
      })
      row = all.find((r) => r.id === id)!
    }
    if (interactive) {
      for (const f of CREDENTIAL_FIELDS) {
        const label = CREDENTIAL_FIELD_LABELS[f]
        const v = (
          await deps.prompts.password({
            message: `${label[0]!.toUpperCase()}${label.slice(1)} (empty keeps the current value)`,
          })
        ).trim()
        if (v) changes[f] = v
      }
      if (Object.keys(changes).length === 0) {
        line(deps.stderr, 'Nothing to change.')
        return 0
      }
    }
    const current = row.credentials
    const next: Credentials = { ...current, ...changes }
    const shared = await db.findSecretsSharedWithOthers(handle.db, row.id, next)
    const report = core.evaluateInfluencer({
      credentials: next,
      now: deps.now(),
      allowBroadcasterFallback: fallbackPolicy(deps, options.allowBroadcasterFallback),
      sharedSecrets: shared,
    })
    const changed = Object.keys(changes) as CredentialField[]
    const relevant = report.findings.filter((f) => (f.field === null ? false : changed.includes(f.field)))
    const errors = relevant.filter((f) => f.severity === 'error')
    const c = colours(deps.stderr, deps.env)
    const summary = changed.map((f) => ({
      field: f,
      old: current[f] ? core.fingerprintSecret(current[f]!, sha256Hex) : null,
      new: core.fingerprintSecret(changes[f]!, sha256Hex),
      masked: core.maskSecret(changes[f]!),
    }))
    if (!global.json || interactive) {
      for (const s of summary) {
        line(deps.stderr, `${s.field}: ${s.masked} ${s.new}${s.old ? ` (was ${s.old})` : ''}`)
        const claims = claimsText(report.slots[s.field].claims)
        if (claims !== null) line(deps.stderr, `  ${claims}`)
      }
      for (const f of relevant) line(deps.stderr, findingLine(f, c))
    }
    if (errors.length > 0 && !options.force) {
      throw new CliError(
        2,
        `Refused: ${errors.length} error finding(s) (${[...new Set(errors.map((e) => e.code))].join(', ')}); nothing was written.`,
        'Fix the value, or pass --force to store it anyway.',
      )
    }
    if (options.dryRun) {
      if (global.json)
        json(deps.stdout, {
          influencer: row.id,
          dryRun: true,
          changes: summary.map(({ masked: _m, ...s }) => s),
          findings: relevant.map(findingJson),
        })
      else line(deps.stdout, `Dry run: would change ${changed.join(', ')} of ${influencerLabel(row)}; nothing written.`)
      return 0
    }
    if (
      interactive &&
      !(await deps.prompts.confirm({
        message: `Write ${changed.length} change(s) to ${influencerLabel(row)}?`,
        default: false,
      }))
    ) {
      line(deps.stderr, 'Nothing written.')
      return 0
    }
    const result = await db.updateCredentials(handle.db, {
      influencerId: row.id,
      expectedVersion: row.credentialsVersion,
      changes,
      actor: actorOf(deps),
    })
    if (!result.ok) {
      if (result.reason === 'conflict')
        throw new CliError(
          2,
          `The credentials of ${influencerLabel(row)} changed meanwhile; nothing was written.`,
          'Re-run the command to apply your change on top of the new values.',
        )
      throw new CliError(
        2,
        `${influencerLabel(row)} was deleted meanwhile; nothing was written.`,
        'Run `hms-admin influencer list`.',
      )
    }
    if (global.json)
      json(deps.stdout, {
        influencer: row.id,
        dryRun: false,
        changedFields: result.changedFields,
        version: result.version,
        findings: relevant.map(findingJson),
      })
    else
      line(
        deps.stdout,
        result.changedFields.length
          ? `Updated ${result.changedFields.join(', ')} of ${influencerLabel(row)}.`
          : `No change: ${influencerLabel(row)} already has these values.`,
      )
    return 0
  })
}
