/**
 * Shared types of the hms-admin domain. Everything in `core` returns these as data; nothing here
 * throws for bad input.
 */
import type { AccessStatus, CredentialSource } from './api-schemas.js'

/** The four credential slots of an influencer, in the order they are shown everywhere. */
export const CREDENTIAL_FIELDS = ['broadcasterToken', 'broadcasterRoomCode', 'viewerToken', 'viewerRoomCode'] as const

/** One of the four credential slots. */
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number]

/** The database column that stores each credential slot (DESIGN.md section 3). */
export const CREDENTIAL_COLUMNS = {
  broadcasterToken: 'hms_auth_token',
  broadcasterRoomCode: 'room_code',
  viewerToken: 'hms_viewer_auth_token',
  viewerRoomCode: 'hms_viewer_room_code',
} as const satisfies Record<CredentialField, string>

/** Who a credential is for. */
export type CredentialRole = 'broadcaster' | 'viewer'

/** An influencer's four credentials; `null` means absent (empty or whitespace input is absent). */
export interface Credentials {
  broadcasterToken: string | null
  broadcasterRoomCode: string | null
  viewerToken: string | null
  viewerRoomCode: string | null
}

/** How serious a finding is. Errors make a credential unusable. */
export type Severity = 'error' | 'warning'

/** Every finding code core can produce (DESIGN.md section 2). */
export const FindingCode = {
  TokenUnrecognized: 'token.unrecognized',
  TokenMalformed: 'token.malformed',
  TokenMissingClaim: 'token.missing_claim',
  TokenUserIdNotString: 'token.user_id_not_string',
  TokenNotAppToken: 'token.not_app_token',
  TokenExpired: 'token.expired',
  TokenNotYetValid: 'token.not_yet_valid',
  TokenExpiring: 'token.expiring',
  TokenSdkDecodeHazard: 'token.sdk_decode_hazard',
  TokenShared: 'token.shared',
  RoomCodeMalformed: 'room_code.malformed',
  ViewerSameAsBroadcaster: 'viewer.same_as_broadcaster',
  ViewerRoleIsBroadcaster: 'viewer.role_is_broadcaster',
  ViewerRoomMismatch: 'viewer.room_mismatch',
  ViewerMissing: 'viewer.missing',
  FallbackExposesBroadcaster: 'fallback.exposes_broadcaster',
} as const

/** A finding code. */
export type FindingCode = (typeof FindingCode)[keyof typeof FindingCode]

/**
 * One problem found in stored credentials. `field` is the slot it is about, or `null` when it is
 * about the influencer as a whole (e.g. `viewer.missing`). `message` is one sentence and never
 * contains a secret.
 */
export interface Finding {
  code: FindingCode
  severity: Severity
  field: CredentialField | null
  message: string
}

/** Access status and credential source are part of the HTTP API: their schemas live with it. */
export type { AccessStatus, CredentialSource }

/** Options of the credential policy: the clock, the expiry window, the fallback switch and liveness. */
export interface PolicyOptions {
  /** The current time (default: the real clock). */
  now?: Date
  /** A token expiring within this many milliseconds gets `token.expiring` (default 7 days). */
  expiringWithinMs?: number
  /** Hand broadcaster credentials to viewers when no viewer credential is usable (default false). */
  allowBroadcasterFallback?: boolean
  /** The influencer is live now, which makes `viewer.missing` an error (default false). */
  isLive?: boolean
  /**
   * Compute each slot's `fingerprint` (default true). `false` leaves them `null` and skips hashing
   * every secret, for bulk checks that never show fingerprints (an audit of many influencers).
   */
  fingerprints?: boolean
  /** The SHA-256 behind slot fingerprints (default: pure JS; the CLI passes node:crypto's). */
  sha256Hex?: (text: string) => string
}

/** A cross-influencer fact: this slot's value is also stored for `sharedWithCount` other influencers. */
export interface SharedSecret {
  field: CredentialField
  sharedWithCount: number
}

/** What viewers receive, or why they receive nothing. */
export type ViewerResolution =
  | {
      ok: true
      /** Where the returned values came from (all returned values share one source). */
      source: CredentialSource
      authToken?: string
      roomCode?: string
      authTokenSource?: CredentialSource
      roomCodeSource?: CredentialSource
      /** The `exp` of the returned auth token, when it has one. */
      expiresAt?: Date
    }
  | { ok: false; error: 'viewer_access_not_configured' | 'viewer_token_invalid' }

/**
 * The non-secret claims of a 100ms JWT (token details are not secret, DESIGN.md section 2); `null`
 * where the claim is absent or of the wrong type. Times are the `iat`, `nbf` and `exp` seconds.
 */
export interface TokenClaims {
  role: string | null
  room_id: string | null
  user_id: string | null
  type: string | null
  iat: Date | null
  nbf: Date | null
  exp: Date | null
}

/** The inspection of one credential slot; never contains the secret itself. */
export interface SlotReport {
  field: CredentialField
  role: CredentialRole
  kind: 'token' | 'room_code'
  present: boolean
  masked: string | null
  /** `sha256:` + 12 hex chars; `null` when absent, or when the policy says `fingerprints: false`. */
  fingerprint: string | null
  format: 'jwt' | 'hms' | 'unrecognized' | 'room_code' | null
  /** The `role` claim of a JWT. */
  tokenRole: string | null
  /** The `room_id` claim of a JWT. */
  roomId: string | null
  expiresAt: Date | null
  /** The non-secret claims of a decodable JWT (`null` for other formats and broken tokens). */
  claims: TokenClaims | null
  /** The slot's own and cross-slot findings. */
  findings: Finding[]
  /** Present and without any error finding. */
  usable: boolean
}

/** The evaluation of an influencer (`evaluateInfluencer`): everything known about its credentials under a policy. */
export interface CredentialReport {
  slots: Record<CredentialField, SlotReport>
  /** Every finding (per slot, cross-slot, cross-influencer and policy), errors first. */
  findings: Finding[]
  status: AccessStatus
  resolution: ViewerResolution
  /** The earliest `exp` among stored JWTs. */
  earliestExpiry: Date | null
  counts: { error: number; warning: number }
}
