import type {
  AccessStatus,
  CredentialField,
  CredentialSource,
  Credentials,
  SlotReport,
  ViewerResolution,
} from './types.js'

type Slots = Record<CredentialField, SlotReport>

function pickUsable(
  values: Credentials,
  slots: Slots,
  tokenField: CredentialField,
  roomCodeField: CredentialField,
  source: CredentialSource,
): ViewerResolution | null {
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
 * Resolves what viewers receive from already inspected slots: the usable viewer values together,
 * else (fallback on) the usable broadcaster values, else why not.
 */
export function resolveSlots(values: Credentials, slots: Slots, allowBroadcasterFallback: boolean): ViewerResolution {
  const viewer = pickUsable(values, slots, 'viewerToken', 'viewerRoomCode', 'viewer')
  if (viewer) return viewer
  const candidates: CredentialField[] = ['viewerToken', 'viewerRoomCode']
  if (allowBroadcasterFallback) {
    const broadcaster = pickUsable(values, slots, 'broadcasterToken', 'broadcasterRoomCode', 'broadcaster')
    if (broadcaster) return broadcaster
    candidates.push('broadcasterToken', 'broadcasterRoomCode')
  }
  const somethingStored = candidates.some((field) => slots[field].present)
  return { ok: false, error: somethingStored ? 'viewer_token_invalid' : 'viewer_access_not_configured' }
}

/** Returns the access status of inspected slots and their resolution. */
export function statusOfSlots(slots: Slots, resolution: ViewerResolution): AccessStatus {
  if (slots.viewerToken.usable && slots.viewerRoomCode.usable) return 'ready'
  return resolution.ok ? 'limited' : 'not_configured'
}
