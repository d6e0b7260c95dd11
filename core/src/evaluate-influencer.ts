import { credentialKind, credentialRole } from './credential-fields.js'
import { crossSlotFindings, policyFindings } from './cross-slot-rules.js'
import { findings as build } from './findings.js'
import { fingerprintSecret } from './fingerprint-secret.js'
import { inspectRoomCode } from './inspect-room-code.js'
import { inspectToken, type TokenInspection } from './inspect-token.js'
import { maskSecret } from './mask-secret.js'
import { tokenClaims } from './token-claims.js'
import {
  CREDENTIAL_FIELDS,
  type AccessStatus,
  type CredentialField,
  type CredentialReport,
  type CredentialSource,
  type Credentials,
  type Finding,
  type PolicyOptions,
  type SharedSecret,
  type SlotReport,
  type ViewerResolution,
} from './types.js'

/**
 * Everything one influencer's evaluation depends on: the stored credentials, the cross-influencer
 * facts (which of its secrets other influencers also hold), and the policy, clock and liveness.
 */
export interface InfluencerFacts extends PolicyOptions {
  credentials: Credentials
  /** The slots whose value another influencer also stores (from `findSharedSecrets` or a query). */
  sharedSecrets?: readonly SharedSecret[]
}

type Slots = Record<CredentialField, SlotReport>

const normalized = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? ''
  return trimmed === '' ? null : trimmed
}

const fieldOrder = (finding: Finding): number =>
  finding.field === null ? CREDENTIAL_FIELDS.length : CREDENTIAL_FIELDS.indexOf(finding.field)

/** Orders findings errors first, then by slot (influencer-wide last), keeping rule order otherwise. */
function sortFindings(findings: readonly Finding[]): Finding[] {
  if (findings.length < 2) return findings.slice()
  return [...findings].sort(
    (a, b) => Number(a.severity !== 'error') - Number(b.severity !== 'error') || fieldOrder(a) - fieldOrder(b),
  )
}

function pickUsable(values: Credentials, slots: Slots, source: CredentialSource): ViewerResolution | null {
  const [tokenField, roomCodeField] =
    source === 'viewer'
      ? (['viewerToken', 'viewerRoomCode'] as const)
      : (['broadcasterToken', 'broadcasterRoomCode'] as const)
  const tokenSlot = slots[tokenField]
  const authToken = tokenSlot.usable ? values[tokenField] : null
  const roomCode = slots[roomCodeField].usable ? values[roomCodeField] : null
  if (authToken === null && roomCode === null) return null
  return {
    ok: true,
    source,
    ...(authToken !== null && { authToken, authTokenSource: source }),
    ...(roomCode !== null && { roomCode, roomCodeSource: source }),
    ...(authToken !== null && tokenSlot.expiresAt && { expiresAt: tokenSlot.expiresAt }),
  }
}

/**
 * What viewers receive (the seed's priority): the usable viewer values together, else (fallback
 * on) the usable broadcaster values, else `viewer_token_invalid` when something is stored but
 * unusable or `viewer_access_not_configured` when nothing is.
 */
function resolveSlots(values: Credentials, slots: Slots, allowBroadcasterFallback: boolean): ViewerResolution {
  const viewer = pickUsable(values, slots, 'viewer')
  if (viewer) return viewer
  const candidates: CredentialField[] = ['viewerToken', 'viewerRoomCode']
  if (allowBroadcasterFallback) {
    const broadcaster = pickUsable(values, slots, 'broadcaster')
    if (broadcaster) return broadcaster
    candidates.push('broadcasterToken', 'broadcasterRoomCode')
  }
  const somethingStored = candidates.some((field) => slots[field].present)
  return { ok: false, error: somethingStored ? 'viewer_token_invalid' : 'viewer_access_not_configured' }
}

/** `ready` (usable viewer token and room code), `limited` (viewers can join with less) or `not_configured`. */
function statusOfSlots(slots: Slots, resolution: ViewerResolution): AccessStatus {
  if (slots.viewerToken.usable && slots.viewerRoomCode.usable) return 'ready'
  return resolution.ok ? 'limited' : 'not_configured'
}

/** Each slot's own findings (token or room code rules), the cross-slot ones and `token.shared`. */
function findingsPerSlot(
  values: Credentials,
  facts: InfluencerFacts,
): { tokens: Partial<Record<CredentialField, TokenInspection>>; perSlot: Record<CredentialField, Finding[]> } {
  const tokens: Partial<Record<CredentialField, TokenInspection>> = {}
  const perSlot = {} as Record<CredentialField, Finding[]>
  for (const field of CREDENTIAL_FIELDS) {
    const value = values[field]
    perSlot[field] = []
    if (value === null) continue
    if (credentialKind(field) === 'token') {
      const inspection = inspectToken(value, field, facts)
      tokens[field] = inspection
      perSlot[field].push(...inspection.findings)
    } else {
      perSlot[field].push(...inspectRoomCode(value, field))
    }
  }
  const crossSlot = crossSlotFindings({
    values,
    broadcasterToken: tokens.broadcasterToken ?? null,
    viewerToken: tokens.viewerToken ?? null,
  })
  for (const finding of crossSlot) if (finding.field !== null) perSlot[finding.field].push(finding)
  for (const { field, sharedWithCount } of facts.sharedSecrets ?? [])
    if (values[field] !== null) perSlot[field].push(build.tokenShared(field, sharedWithCount))
  return { tokens, perSlot }
}

function slotReport(
  field: CredentialField,
  value: string | null,
  inspection: TokenInspection | undefined,
  findings: Finding[],
  facts: InfluencerFacts,
): SlotReport {
  const kind = credentialKind(field)
  return {
    field,
    role: credentialRole(field),
    kind,
    present: value !== null,
    masked: value === null ? null : maskSecret(value),
    fingerprint: value === null || facts.fingerprints === false ? null : fingerprintSecret(value, facts.sha256Hex),
    format: value === null ? null : kind === 'room_code' ? 'room_code' : (inspection?.format ?? null),
    tokenRole: inspection?.role ?? null,
    roomId: inspection?.roomId ?? null,
    expiresAt: inspection?.expiresAt ?? null,
    claims: inspection?.claims ? tokenClaims(inspection.claims) : null,
    findings: sortFindings(findings),
    usable: value !== null && !findings.some((finding) => finding.severity === 'error'),
  }
}

/**
 * The one evaluation of an influencer (DESIGN.md section 2): per-slot, cross-slot, cross-influencer
 * (`token.shared`) and policy findings, what viewers receive, the access status and the earliest
 * expiry. Every command, route and badge takes its status and resolution from here.
 */
export function evaluateInfluencer(facts: InfluencerFacts): CredentialReport {
  const { credentials } = facts
  const values: Credentials = {
    broadcasterToken: normalized(credentials.broadcasterToken),
    broadcasterRoomCode: normalized(credentials.broadcasterRoomCode),
    viewerToken: normalized(credentials.viewerToken),
    viewerRoomCode: normalized(credentials.viewerRoomCode),
  }
  const { tokens, perSlot } = findingsPerSlot(values, facts)
  const slots = {} as Slots
  for (const field of CREDENTIAL_FIELDS)
    slots[field] = slotReport(field, values[field], tokens[field], perSlot[field], facts)
  // Policy findings describe the policy, not a credential, so they never change usability.
  const resolution = resolveSlots(values, slots, facts.allowBroadcasterFallback ?? false)
  const findings = sortFindings([
    ...CREDENTIAL_FIELDS.flatMap((field) => slots[field].findings),
    ...policyFindings(values, resolution, facts),
  ])
  let earliest = Infinity
  for (const field of CREDENTIAL_FIELDS) earliest = Math.min(earliest, slots[field].expiresAt?.getTime() ?? Infinity)
  const errors = findings.filter((finding) => finding.severity === 'error').length
  return {
    slots,
    findings,
    status: statusOfSlots(slots, resolution),
    resolution,
    earliestExpiry: earliest === Infinity ? null : new Date(earliest),
    counts: { error: errors, warning: findings.length - errors },
  }
}
