import { credentialKind, credentialRole } from './credential-fields.js'
import { crossSlotFindings, policyFindings } from './cross-slot-rules.js'
import { resolveSlots, statusOfSlots } from './evaluate-slots.js'
import { fingerprintSecret } from './fingerprint-secret.js'
import { inspectRoomCode } from './inspect-room-code.js'
import { inspectToken, type TokenInspection } from './inspect-token.js'
import { maskSecret } from './mask-secret.js'
import {
  CREDENTIAL_FIELDS,
  type CredentialField,
  type CredentialReport,
  type Credentials,
  type Finding,
  type PolicyOptions,
  type SlotReport,
} from './types.js'

const normalized = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? ''
  return trimmed === '' ? null : trimmed
}

const fieldOrder = (finding: Finding): number =>
  finding.field === null ? CREDENTIAL_FIELDS.length : CREDENTIAL_FIELDS.indexOf(finding.field)

/** Orders findings errors first, then by slot (influencer-wide last), keeping rule order otherwise. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  if (findings.length < 2) return findings.slice()
  return [...findings].sort(
    (a, b) => Number(a.severity !== 'error') - Number(b.severity !== 'error') || fieldOrder(a) - fieldOrder(b),
  )
}

/**
 * Inspects an influencer's four credentials under a policy: per-slot and cross-slot findings,
 * usability, what viewers would receive, the access status and the earliest expiry.
 */
export function inspectCredentials(credentials: Credentials, options: PolicyOptions = {}): CredentialReport {
  const values: Credentials = {
    broadcasterToken: normalized(credentials.broadcasterToken),
    broadcasterRoomCode: normalized(credentials.broadcasterRoomCode),
    viewerToken: normalized(credentials.viewerToken),
    viewerRoomCode: normalized(credentials.viewerRoomCode),
  }
  const tokenInspections: Partial<Record<CredentialField, TokenInspection>> = {}
  const slotFindings = {} as Record<CredentialField, Finding[]>
  for (const field of CREDENTIAL_FIELDS) {
    const value = values[field]
    slotFindings[field] = []
    if (value === null) continue
    if (credentialKind(field) === 'token') {
      const inspection = inspectToken(value, field, options)
      tokenInspections[field] = inspection
      slotFindings[field].push(...inspection.findings)
    } else {
      slotFindings[field].push(...inspectRoomCode(value, field))
    }
  }

  const unattached: Finding[] = []
  const crossSlot = crossSlotFindings({
    values,
    broadcasterToken: tokenInspections.broadcasterToken ?? null,
    viewerToken: tokenInspections.viewerToken ?? null,
  })
  for (const finding of [...crossSlot, ...(options.additionalFindings ?? [])]) {
    if (finding.field === null) unattached.push(finding)
    else slotFindings[finding.field].push(finding)
  }

  const slots = {} as Record<CredentialField, SlotReport>
  for (const field of CREDENTIAL_FIELDS) {
    const value = values[field]
    const inspection = tokenInspections[field]
    const kind = credentialKind(field)
    slots[field] = {
      field,
      role: credentialRole(field),
      kind,
      present: value !== null,
      masked: value === null ? null : maskSecret(value),
      fingerprint:
        value === null || options.fingerprints === false ? null : fingerprintSecret(value, options.sha256Hex),
      format: value === null ? null : kind === 'room_code' ? 'room_code' : (inspection?.format ?? null),
      tokenRole: inspection?.role ?? null,
      roomId: inspection?.roomId ?? null,
      expiresAt: inspection?.expiresAt ?? null,
      findings: sortFindings(slotFindings[field]),
      usable: value !== null && !slotFindings[field].some((finding) => finding.severity === 'error'),
    }
  }

  // Policy findings describe the policy, not a credential, so they never change usability.
  const resolution = resolveSlots(values, slots, options.allowBroadcasterFallback ?? false)
  const findings = sortFindings([
    ...CREDENTIAL_FIELDS.flatMap((field) => slots[field].findings),
    ...unattached,
    ...policyFindings(values, resolution, options),
  ])
  let earliest = Infinity
  for (const field of CREDENTIAL_FIELDS) earliest = Math.min(earliest, slots[field].expiresAt?.getTime() ?? Infinity)
  let errors = 0
  for (const finding of findings) if (finding.severity === 'error') errors++
  return {
    slots,
    findings,
    status: statusOfSlots(slots, resolution),
    resolution,
    earliestExpiry: earliest === Infinity ? null : new Date(earliest),
    counts: { error: errors, warning: findings.length - errors },
  }
}
