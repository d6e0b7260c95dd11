import { accessSync, closeSync, constants, existsSync, openSync, writeSync } from 'node:fs'
import path from 'node:path'
import type { CliDeps, GlobalOptions } from '../deps.js'
import { CliError } from '../errors.js'
import { DURATION, FILE_PATH, parseInput } from '../cli-input.js'
import { colours } from '../output.js'
import { fallbackPolicy, withDatabase } from '../context.js'
import { AUDIT_FORMATS, auditWriter, type AuditFormat } from '../audit-formats.js'
import { VERSION } from '../version.js'
import { slotJson, viewerReceives } from '../report-view.js'

/** Options of `audit`. */
export interface AuditOptions {
  format?: string
  output?: string
  failOn?: string
  expiringWithin?: string
  allowBroadcasterFallback?: boolean
}

/** `hms-admin audit`: streams every influencer through every rule. */
export async function runAudit(deps: CliDeps, global: GlobalOptions, options: AuditOptions): Promise<number> {
  const format = (options.format ?? (global.json ? 'json' : 'text')) as AuditFormat
  if (!AUDIT_FORMATS.includes(format))
    throw new CliError(2, `Unknown format "${options.format}".`, `Use one of ${AUDIT_FORMATS.join(', ')}.`)
  const failOn = options.failOn ?? 'error'
  if (!['error', 'warning', 'never'].includes(failOn))
    throw new CliError(2, `Unknown --fail-on "${failOn}".`, 'Use error, warning or never.')
  const core = await import('@hms-admin/core')
  const expiringWithinMs =
    options.expiringWithin === undefined
      ? core.DEFAULT_EXPIRING_WITHIN_MS
      : parseInput('--expiring-within', DURATION, options.expiringWithin)
  const { findSharedSecretsInDatabase, liveInfluencerIds, streamInfluencers } = await import('@hms-admin/database')
  const rules = Object.values(core.FindingCode)
  const atOrAbove = (f: { severity: string }) => failOn === 'warning' || (failOn === 'error' && f.severity === 'error')
  const output = options.output === undefined ? undefined : parseInput('--output', FILE_PATH, options.output)
  const cannotWrite = () =>
    new CliError(2, `Cannot write to ${output}.`, 'Check that the directory exists and is writable.')
  if (output !== undefined) {
    try {
      accessSync(existsSync(output) ? output : path.dirname(path.resolve(output)), constants.W_OK)
    } catch {
      throw cannotWrite()
    }
  }
  // Opened (truncated) at the first write, once the database answered: a failed run leaves an old report alone.
  let fd: number | null = null
  const sinkTTY = output === undefined && deps.stdout.isTTY === true
  const writer = auditWriter(format, {
    rules,
    atOrAbove: (f) => failOn !== 'never' && atOrAbove(f),
    colour: colours({ write: () => 0, isTTY: sinkTTY }, deps.env),
    version: VERSION,
  })
  let buffer = ''
  const emit = (text: string, force = false) => {
    buffer += text
    if (buffer.length > 64_000 || force) {
      if (output === undefined) deps.stdout.write(buffer)
      else {
        if (fd === null) {
          try {
            fd = openSync(output, 'w')
          } catch {
            throw cannotWrite()
          }
        }
        writeSync(fd, buffer)
      }
      buffer = ''
    }
  }
  // Progress only for a person watching stderr, and not when the report itself goes to that terminal.
  const progress = deps.stderr.isTTY === true && !sinkTTY
  try {
    return await withDatabase(deps, global, async (handle) => {
      const rows = streamInfluencers(handle.db, { batchSize: 5000 })
      const [shared, live] = await Promise.all([findSharedSecretsInDatabase(handle.db), liveInfluencerIds(handle.db)])
      const allow = fallbackPolicy(deps, options.allowBroadcasterFallback)
      const now = deps.now()
      const totals = { influencers: 0, error: 0, warning: 0, failing: 0 }
      emit(writer.begin())
      for await (const row of rows) {
        const report = core.evaluateInfluencer({
          credentials: row.credentials,
          now,
          expiringWithinMs,
          allowBroadcasterFallback: allow,
          isLive: live.has(row.id),
          fingerprints: false,
          sharedSecrets: shared.get(row.id) ?? [],
        })
        totals.influencers++
        totals.error += report.counts.error
        totals.warning += report.counts.warning
        if (failOn !== 'never' && report.findings.some(atOrAbove)) totals.failing++
        emit(
          writer.item({
            id: row.id,
            handle: row.handle,
            name: row.name,
            status: report.status,
            viewerReceives: viewerReceives(report),
            slots: Object.values(report.slots).map(slotJson),
            findings: report.findings,
          }),
        )
        if (progress && totals.influencers % 5000 === 0)
          deps.stderr.write(`\rAudited ${totals.influencers} influencers…`)
      }
      if (progress) deps.stderr.write('\r\x1b[K')
      emit(writer.end(totals), true)
      if (output !== undefined) deps.stderr.write(`Wrote the ${format} report to ${output}.\n`)
      return totals.failing > 0 ? 1 : 0
    })
  } finally {
    if (fd !== null) closeSync(fd)
  }
}
