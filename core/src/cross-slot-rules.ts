import { findings as build } from './findings.js'
import type { TokenInspection } from './inspect-token.js'
import type { CredentialField, Credentials, Finding, PolicyOptions, ViewerResolution } from './types.js'

/** What the cross-slot rules look at: the trimmed values and the inspections of both tokens. */
export interface CrossSlotContext {
  values: Credentials
  broadcasterToken: TokenInspection | null
  viewerToken: TokenInspection | null
}

/** A rule comparing viewer slots with broadcaster slots; pushes its findings onto `out`. */
export type CrossSlotRule = (context: CrossSlotContext, out: Finding[]) => void

const VIEWER_FIELDS = ['viewerToken', 'viewerRoomCode'] as const
const BROADCASTER_FIELDS = ['broadcasterToken', 'broadcasterRoomCode'] as const

/** viewer.same_as_broadcaster: a viewer value equals any broadcaster value. */
const viewerSameAsBroadcasterRule: CrossSlotRule = ({ values }, out) => {
  for (const field of VIEWER_FIELDS) {
    const value = values[field]
    const twin = BROADCASTER_FIELDS.find((broadcasterField) => value !== null && values[broadcasterField] === value)
    if (twin) out.push(build.viewerSameAsBroadcaster(field, twin))
  }
}

/** viewer.role_is_broadcaster: the viewer JWT's role equals the broadcaster JWT's role (case-sensitive, as in 100ms). */
const viewerRoleIsBroadcasterRule: CrossSlotRule = ({ values, broadcasterToken, viewerToken }, out) => {
  // An identical token is already reported as same_as_broadcaster.
  if (values.viewerToken === values.broadcasterToken) return
  const role = viewerToken?.role
  if (role && role === broadcasterToken?.role) out.push(build.viewerRoleIsBroadcaster('viewerToken', role))
}

/** viewer.room_mismatch: the viewer and broadcaster JWTs name different rooms. */
const viewerRoomMismatchRule: CrossSlotRule = ({ broadcasterToken, viewerToken }, out) => {
  const viewerRoom = viewerToken?.roomId
  const broadcasterRoom = broadcasterToken?.roomId
  if (viewerRoom && broadcasterRoom && viewerRoom !== broadcasterRoom) out.push(build.viewerRoomMismatch('viewerToken'))
}

/** The rules comparing viewer and broadcaster slots, in reporting order. */
export const CROSS_SLOT_RULES: readonly CrossSlotRule[] = [
  viewerSameAsBroadcasterRule,
  viewerRoleIsBroadcasterRule,
  viewerRoomMismatchRule,
]

/** Runs every cross-slot rule and returns their findings (each about a viewer slot). */
export function crossSlotFindings(context: CrossSlotContext): Finding[] {
  const out: Finding[] = []
  for (const rule of CROSS_SLOT_RULES) rule(context, out)
  return out
}

/**
 * Returns the policy findings: `viewer.missing` when no viewer credential is stored (an error when
 * live) and `fallback.exposes_broadcaster` when the resolution hands broadcaster values to viewers.
 */
export function policyFindings(
  values: Credentials,
  resolution: ViewerResolution,
  options: PolicyOptions = {},
): Finding[] {
  const out: Finding[] = []
  if (values.viewerToken === null && values.viewerRoomCode === null)
    out.push(build.viewerMissing(options.isLive ?? false))
  if (resolution.ok && resolution.source === 'broadcaster') {
    const exposed: CredentialField[] = []
    if (resolution.authToken !== undefined) exposed.push('broadcasterToken')
    if (resolution.roomCode !== undefined) exposed.push('broadcasterRoomCode')
    out.push(build.fallbackExposesBroadcaster(exposed))
  }
  return out
}
