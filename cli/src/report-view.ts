import { ACCESS_STATUS_BADGES, type AccessStatus, type CredentialReport, type Finding } from '@hms-admin/core'
import type { ChalkInstance } from 'chalk'
import type { Influencer } from '@hms-admin/database'

/** The badge text of an access status. */
export function badge(status: AccessStatus): string {
  const b = ACCESS_STATUS_BADGES[status]
  return `${b.emoji} ${b.label}`
}

/** What viewers would receive, in words (never the secret): the JSON shape of list, show and audit. */
export interface ViewerReceives {
  source: string | null
  values: string[]
  error: string | null
}

/** What viewers would receive according to the evaluation's resolution. */
export function viewerReceives(report: CredentialReport): ViewerReceives {
  const r = report.resolution
  if (!r.ok) return { source: null, values: [], error: r.error }
  const values: string[] = []
  if (r.authToken) values.push(`${r.authTokenSource ?? r.source} token`)
  if (r.roomCode) values.push(`${r.roomCodeSource ?? r.source} room code`)
  return { source: r.source, values, error: null }
}

/** What viewers would receive, as text: `viewer token + viewer room code (source: viewer)` or `nothing (<error>)`. */
export function viewerReceivesText(report: CredentialReport): string {
  const v = viewerReceives(report)
  return v.error ? `nothing (${v.error})` : `${v.values.join(' + ')} (source: ${v.source})`
}

/** A finding as plain data. */
export function findingJson(f: Finding) {
  return { code: f.code, severity: f.severity, field: f.field, message: f.message }
}

/** A finding as one indented line of text: severity (coloured), code, slot and message. */
export function findingLine(f: Finding, c: ChalkInstance): string {
  return `  ${f.severity === 'error' ? c.red('error  ') : c.yellow('warning')} ${f.code}${f.field ? ` [${f.field}]` : ''}: ${f.message}`
}

/** The stable JSON shape of an influencer's report (masked values only). */
export function reportJson(row: Influencer, report: CredentialReport) {
  return {
    id: row.id,
    handle: row.handle,
    name: row.name,
    status: report.status,
    earliestExpiry: report.earliestExpiry?.toISOString() ?? null,
    counts: report.counts,
    viewerReceives: viewerReceives(report),
    slots: Object.values(report.slots).map((s) => ({
      field: s.field,
      present: s.present,
      masked: s.masked,
      fingerprint: s.fingerprint,
      format: s.format,
      expiresAt: s.expiresAt?.toISOString() ?? null,
      usable: s.usable,
    })),
    findings: report.findings.map(findingJson),
    version: row.credentialsVersion,
  }
}
