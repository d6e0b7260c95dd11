import { decodeJsonObjectSegment, isBase64url } from './decode-base64url.js'
import { findings as build } from './findings.js'
import { DEFAULT_EXPIRING_WITHIN_MS } from './parse-duration.js'
import { ROOM_CODE_PATTERN } from './inspect-room-code.js'
import type { CredentialField, Finding, PolicyOptions } from './types.js'

/** The clock and expiry window used when inspecting tokens (the policy's own). */
export type InspectTokenOptions = Pick<PolicyOptions, 'now' | 'expiringWithinMs'>

/** Everything learnt from one auth token; `findings` is empty for a token with no problem. */
export interface TokenInspection {
  format: 'jwt' | 'hms' | 'unrecognized'
  header?: Record<string, unknown>
  claims?: Record<string, unknown>
  role: string | null
  roomId: string | null
  expiresAt: Date | null
  findings: Finding[]
}

const REQUIRED_CLAIMS = ['room_id', 'role', 'access_key'] as const
const HMS_TOKEN_PATTERN = /^HMS_\S+$/
// Anything made only of base64url characters and dots is treated as an attempted JWT, so a broken
// one is reported as malformed rather than unrecognized.
const JWT_LIKE_PATTERN = /^[A-Za-z0-9_\-.]*\.[A-Za-z0-9_\-.]*$/

const stringClaim = (claims: Record<string, unknown>, name: string): string | null => {
  const value = claims[name]
  return typeof value === 'string' && value !== '' ? value : null
}

/** Inspects one auth token (trimmed) and returns its format, decoded claims and findings; never throws. */
export function inspectToken(
  value: string,
  field: CredentialField,
  options: InspectTokenOptions = {},
): TokenInspection {
  const token = value.trim()
  const base = { role: null, roomId: null, expiresAt: null }
  if (HMS_TOKEN_PATTERN.test(token)) return { format: 'hms', ...base, findings: [] }
  if (!token.startsWith('eyJ') && !JWT_LIKE_PATTERN.test(token)) {
    return {
      format: 'unrecognized',
      ...base,
      findings: [build.tokenUnrecognized(field, ROOM_CODE_PATTERN.test(token))],
    }
  }
  return inspectJwt(token, field, options)
}

function inspectJwt(token: string, field: CredentialField, options: InspectTokenOptions): TokenInspection {
  const malformed = (reason: Parameters<typeof build.tokenMalformed>[1]): TokenInspection => ({
    format: 'jwt',
    role: null,
    roomId: null,
    expiresAt: null,
    findings: [build.tokenMalformed(field, reason)],
  })
  const parts = token.split('.')
  if (parts.length !== 3) return malformed({ kind: 'parts', count: parts.length })
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = decodeJsonObjectSegment(headerPart)
  if (!header) {
    return malformed(
      isBase64url(headerPart) ? { kind: 'not_json_object', part: 'header' } : { kind: 'not_base64url', part: 'header' },
    )
  }
  const claims = decodeJsonObjectSegment(payloadPart)
  if (!claims) {
    return malformed(
      isBase64url(payloadPart)
        ? { kind: 'not_json_object', part: 'payload' }
        : { kind: 'not_base64url', part: 'payload' },
    )
  }
  if (signaturePart === '' || !isBase64url(signaturePart))
    return malformed({ kind: 'not_base64url', part: 'signature' })
  const inspection: TokenInspection = {
    format: 'jwt',
    header,
    claims,
    role: stringClaim(claims, 'role'),
    roomId: stringClaim(claims, 'room_id'),
    expiresAt: null,
    findings: [],
  }
  checkClaims(inspection, claims, field, options)
  if (/[-_]/.test(payloadPart)) inspection.findings.push(build.tokenSdkDecodeHazard(field))
  return inspection
}

function checkClaims(
  inspection: TokenInspection,
  claims: Record<string, unknown>,
  field: CredentialField,
  options: InspectTokenOptions,
): void {
  const out = inspection.findings
  const missing = REQUIRED_CLAIMS.filter((name) => stringClaim(claims, name) === null)
  if (missing.length > 0) out.push(build.tokenMissingClaim(field, missing))
  if ('user_id' in claims && typeof claims.user_id !== 'string') out.push(build.tokenUserIdNotString(field))
  if (claims.type !== 'app') out.push(build.tokenNotAppToken(field, claims.type))

  const nowMs = (options.now ?? new Date()).getTime()
  const windowMs = options.expiringWithinMs ?? DEFAULT_EXPIRING_WITHIN_MS
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
      out.push(build.tokenMalformed(field, { kind: 'claim_not_number', claim: 'exp' }))
    } else {
      const expiresAt = new Date(claims.exp * 1000)
      inspection.expiresAt = expiresAt
      if (expiresAt.getTime() <= nowMs) out.push(build.tokenExpired(field, expiresAt))
      else if (expiresAt.getTime() - nowMs <= windowMs) out.push(build.tokenExpiring(field, expiresAt))
    }
  }
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number' || !Number.isFinite(claims.nbf)) {
      out.push(build.tokenMalformed(field, { kind: 'claim_not_number', claim: 'nbf' }))
    } else if (claims.nbf * 1000 > nowMs) {
      out.push(build.tokenNotYetValid(field, new Date(claims.nbf * 1000)))
    }
  }
}
