import { inspectToken, type CredentialField, type CredentialReport } from '@hms-admin/core'

/** Which token slots `--slot` names. */
export const ROTATE_SLOTS = {
  viewer: ['viewerToken'],
  broadcaster: ['broadcasterToken'],
  all: ['broadcasterToken', 'viewerToken'],
} as const satisfies Record<string, readonly CredentialField[]>

/** What rotate does with one stored token: renew it with these claims, skip it (why), or leave it (not selected). */
export type RotationDecision =
  | { kind: 'rotate'; roomId: string; role: string; userId?: string; expiresAt: Date }
  | { kind: 'skip'; reason: string }
  | null

/**
 * Decides for one token slot: selected when it expires within the window (or has expired). An
 * HMS_ token (no expiry known), a broken token whose expiry cannot be read, and a selected token
 * of another access key or with an error finding other than `token.expired` are skipped, with
 * the reason. Never returns the value.
 */
export function rotationDecision(
  field: CredentialField,
  value: string | null,
  report: CredentialReport,
  policy: { now: Date; expiringWithinMs: number; accessKey: string },
): RotationDecision {
  if (value === null || value.trim() === '') return null
  const inspection = inspectToken(value, field, { now: policy.now, expiringWithinMs: policy.expiringWithinMs })
  if (inspection.format === 'hms')
    return { kind: 'skip', reason: 'an HMS_ token (the seed format) has no known expiry and cannot be re-minted' }
  const errors = report.slots[field].findings.filter((f) => f.severity === 'error' && f.code !== 'token.expired')
  const broken = {
    kind: 'skip',
    reason: `error finding(s): ${[...new Set(errors.map((f) => f.code))].join(', ')}`,
  } as const
  // A token whose expiry cannot be read is reported when broken; a fresh one is not selected at all.
  if (inspection.expiresAt === null) return errors.length > 0 ? broken : null
  if (inspection.expiresAt.getTime() - policy.now.getTime() > policy.expiringWithinMs) return null
  if (errors.length > 0) return broken
  const claims = inspection.claims ?? {}
  if (claims.access_key !== policy.accessKey)
    return { kind: 'skip', reason: 'its access_key is not the configured one (HMS_ACCESS_KEY / --access-key)' }
  return {
    kind: 'rotate',
    roomId: claims.room_id as string,
    role: claims.role as string,
    ...(typeof claims.user_id === 'string' ? { userId: claims.user_id } : {}),
    expiresAt: inspection.expiresAt,
  }
}
