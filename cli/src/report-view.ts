import {
  ACCESS_STATUS_BADGES,
  type AccessStatus,
  type CredentialReport,
  type Finding,
  type SlotReport,
  type TokenClaims,
} from '@hms-admin/core'
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
    slots: Object.values(report.slots).map(slotJson),
    findings: report.findings.map(findingJson),
    version: row.credentialsVersion,
  }
}

/** A JWT's non-secret claims as JSON: the text claims as they are, `iat`, `nbf` and `exp` as ISO times. */
function claimsJson(claims: TokenClaims | null) {
  if (claims === null) return null
  const iso = (d: Date | null) => d?.toISOString() ?? null
  const { role, room_id, user_id, type } = claims
  return { role, room_id, user_id, type, iat: iso(claims.iat), nbf: iso(claims.nbf), exp: iso(claims.exp) }
}

/** A JWT's non-secret claims as one line of text (`role viewer, room 65f…, user u1, type app, issued …`); `null` without claims. */
export function claimsText(claims: TokenClaims | null): string | null {
  const j = claimsJson(claims)
  if (j === null) return null
  const parts: [string, string | null][] = [
    ['role', j.role],
    ['room', j.room_id],
    ['user', j.user_id],
    ['type', j.type],
    ['issued', j.iat],
    ['not before', j.nbf],
    ['expires', j.exp],
  ]
  return parts.map(([label, value]) => `${label} ${value ?? '-'}`).join(', ')
}

/** One slot as JSON (see `slotJson`). */
export type SlotJson = ReturnType<typeof slotJson>

/** One slot as JSON: masked value, fingerprint, format, the JWT's claims, expiry and usability (never the value). */
export function slotJson(s: SlotReport) {
  return {
    field: s.field,
    present: s.present,
    masked: s.masked,
    fingerprint: s.fingerprint,
    format: s.format,
    claims: claimsJson(s.claims),
    expiresAt: s.expiresAt?.toISOString() ?? null,
    usable: s.usable,
  }
}
