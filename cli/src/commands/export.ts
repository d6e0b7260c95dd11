import { inspectToken, type CredentialReport, type SlotReport } from '@hms-admin/core'
import type { Influencer } from '@hms-admin/database'
import type { CliDeps, GlobalOptions } from '../deps.js'
import { line } from '../output.js'
import { fallbackPolicy, withDatabase } from '../context.js'
import { sha256Hex } from '@hms-admin/database'

/** Options of `export`. */
export interface ExportOptions {
  format?: 'csv' | 'json'
  allowBroadcasterFallback?: boolean
}

/** The token claims an export shows (DESIGN.md: token details are not secret). */
const CLAIMS = ['role', 'room_id', 'user_id', 'type', 'version', 'iat', 'nbf', 'exp'] as const

/** The CSV columns, one row per influencer and slot. */
export const EXPORT_COLUMNS = [
  'influencer_id',
  'handle',
  'name',
  'status',
  'field',
  'present',
  'masked',
  'fingerprint',
  'format',
  ...CLAIMS,
  'expires_at',
  'usable',
  'findings',
] as const

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function claimsOf(value: string | null, slot: SlotReport): Record<string, unknown> {
  if (value === null || slot.kind !== 'token') return {}
  const claims = inspectToken(value, slot.field).claims ?? {}
  return Object.fromEntries(CLAIMS.filter((c) => claims[c] !== undefined).map((c) => [c, claims[c]]))
}

function slotJson(row: Influencer, slot: SlotReport) {
  return {
    field: slot.field,
    present: slot.present,
    masked: slot.masked,
    fingerprint: slot.fingerprint,
    format: slot.format,
    claims: claimsOf(row.credentials[slot.field], slot),
    expiresAt: slot.expiresAt?.toISOString() ?? null,
    usable: slot.usable,
    findings: slot.findings.map((f) => f.code),
  }
}

function csvRows(row: Influencer, report: CredentialReport): string {
  return Object.values(report.slots)
    .map((slot) => {
      const s = slotJson(row, slot)
      const claims = s.claims as Record<string, unknown>
      return [
        row.id,
        row.handle,
        row.name,
        report.status,
        s.field,
        s.present,
        s.masked,
        s.fingerprint,
        s.format,
        ...CLAIMS.map((c) => claims[c]),
        s.expiresAt,
        s.usable,
        s.findings.join(' '),
      ]
        .map(csvCell)
        .join(',')
    })
    .join('\r\n')
}

/** `hms-admin export`: the inventory as CSV (one row per influencer and slot) or JSON; never a value. */
export async function runExport(deps: CliDeps, global: GlobalOptions, options: ExportOptions): Promise<number> {
  const core = await import('@hms-admin/core')
  const db = await import('@hms-admin/database')
  const asJson = options.format === 'json' || (options.format === undefined && global.json === true)
  return withDatabase(deps, global, async (handle) => {
    const rows = db.streamInfluencers(handle.db, { batchSize: 2000 })
    const [shared, live] = await Promise.all([
      db.findSharedSecretsInDatabase(handle.db),
      db.liveInfluencerIds(handle.db),
    ])
    const allow = fallbackPolicy(deps, options.allowBroadcasterFallback)
    const now = deps.now()
    if (asJson) deps.stdout.write('{"influencers":[')
    else deps.stdout.write(`${EXPORT_COLUMNS.join(',')}\r\n`)
    let first = true
    for await (const row of rows) {
      const report = core.evaluateInfluencer({
        credentials: row.credentials,
        now,
        allowBroadcasterFallback: allow,
        isLive: live.has(row.id),
        sha256Hex,
        sharedSecrets: shared.get(row.id) ?? [],
      })
      if (!asJson) {
        deps.stdout.write(`${csvRows(row, report)}\r\n`)
        continue
      }
      const item = {
        id: row.id,
        handle: row.handle,
        name: row.name,
        status: report.status,
        earliestExpiry: report.earliestExpiry?.toISOString() ?? null,
        slots: Object.values(report.slots).map((slot) => slotJson(row, slot)),
      }
      deps.stdout.write(`${first ? '' : ','}\n${JSON.stringify(item)}`)
      first = false
    }
    if (asJson) line(deps.stdout, '\n]}')
    return 0
  })
}
