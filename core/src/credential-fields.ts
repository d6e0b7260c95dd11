import type { CredentialField, CredentialRole } from './types.js'

/** Whether a credential slot holds an auth token or a room code. */
export type CredentialKind = 'token' | 'room_code'

/** Human labels of the credential slots, used in every message ("viewer token"). */
export const CREDENTIAL_FIELD_LABELS = {
  broadcasterToken: 'broadcaster token',
  broadcasterRoomCode: 'broadcaster room code',
  viewerToken: 'viewer token',
  viewerRoomCode: 'viewer room code',
} as const satisfies Record<CredentialField, string>

/** Returns who the credential slot is for. */
export function credentialRole(field: CredentialField): CredentialRole {
  return field === 'viewerToken' || field === 'viewerRoomCode' ? 'viewer' : 'broadcaster'
}

/** Returns whether the credential slot holds an auth token or a room code. */
export function credentialKind(field: CredentialField): CredentialKind {
  return field === 'broadcasterToken' || field === 'viewerToken' ? 'token' : 'room_code'
}
