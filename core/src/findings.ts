import { CREDENTIAL_FIELD_LABELS } from './credential-fields.js'
import { FindingCode, type CredentialField, type Finding } from './types.js'

const label = (field: CredentialField): string => CREDENTIAL_FIELD_LABELS[field]
const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)
const iso = (date: Date): string => date.toISOString()
const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`

/** What made a token malformed; each reason reads as the end of a sentence. */
export type MalformedReason =
  | { kind: 'parts'; count: number }
  | { kind: 'not_base64url'; part: 'header' | 'payload' | 'signature' }
  | { kind: 'not_json_object'; part: 'header' | 'payload' }
  | { kind: 'claim_not_number'; claim: 'exp' | 'nbf' }

function malformedDetail(reason: MalformedReason): string {
  switch (reason.kind) {
    case 'parts':
      return `must have 3 base64url parts separated by dots but has ${reason.count}`
    case 'not_base64url':
      return `has a ${reason.part} part that is not valid base64url`
    case 'not_json_object':
      return `has a ${reason.part} that does not decode to a JSON object`
    case 'claim_not_number':
      return `has a ${reason.claim} claim that is not a number of seconds`
  }
}

/**
 * Builds every finding core reports, with its code, severity and one-sentence message; the one
 * place messages are written, and none of them contains a secret.
 */
export const findings = {
  /** token.unrecognized: neither a 100ms JWT nor an HMS_ token (or a room code in a token slot). */
  tokenUnrecognized(field: CredentialField, looksLikeRoomCode = false): Finding {
    return {
      code: FindingCode.TokenUnrecognized,
      severity: 'error',
      field,
      message: looksLikeRoomCode
        ? `The ${label(field)} looks like a room code; it must be a 100ms JWT (starts with eyJ) or an HMS_ token, so store room codes in the room code slot.`
        : `The ${label(field)} must be a 100ms JWT (starts with eyJ) or an HMS_ token.`,
    }
  },
  /** token.malformed: not 3 base64url parts, or header/payload not JSON objects. */
  tokenMalformed(field: CredentialField, reason: MalformedReason): Finding {
    return {
      code: FindingCode.TokenMalformed,
      severity: 'error',
      field,
      message: `The ${label(field)} is not a well-formed JWT: it ${malformedDetail(reason)}.`,
    }
  },
  /** token.missing_claim: one finding naming every missing required claim. */
  tokenMissingClaim(field: CredentialField, claims: readonly string[]): Finding {
    return {
      code: FindingCode.TokenMissingClaim,
      severity: 'error',
      field,
      message: `The ${label(field)} lacks the required ${claims.length === 1 ? 'claim' : 'claims'} ${list(claims)}.`,
    }
  },
  /** token.user_id_not_string: 100ms answers 401 when user_id is not a string. */
  tokenUserIdNotString(field: CredentialField): Finding {
    return {
      code: FindingCode.TokenUserIdNotString,
      severity: 'error',
      field,
      message: `The ${label(field)} has a user_id claim that is not a string, which 100ms rejects with 401.`,
    }
  },
  /** token.not_app_token: the `type` claim is not "app" (e.g. a management token). */
  tokenNotAppToken(field: CredentialField, type: unknown): Finding {
    const found =
      typeof type === 'string' ? `type "${type}"` : type === undefined ? 'no type claim' : 'a non-string type claim'
    return {
      code: FindingCode.TokenNotAppToken,
      severity: 'error',
      field,
      message: `The ${label(field)} has ${found} but must be an app token (type "app") to join a room.`,
    }
  },
  /** token.expired: exp <= now. */
  tokenExpired(field: CredentialField, expiresAt: Date): Finding {
    return {
      code: FindingCode.TokenExpired,
      severity: 'error',
      field,
      message: `The ${label(field)} expired at ${iso(expiresAt)}.`,
    }
  },
  /** token.not_yet_valid: nbf > now. */
  tokenNotYetValid(field: CredentialField, notBefore: Date): Finding {
    return {
      code: FindingCode.TokenNotYetValid,
      severity: 'warning',
      field,
      message: `The ${label(field)} is not valid before ${iso(notBefore)}.`,
    }
  },
  /** token.expiring: exp falls within the expiry window. */
  tokenExpiring(field: CredentialField, expiresAt: Date): Finding {
    return {
      code: FindingCode.TokenExpiring,
      severity: 'warning',
      field,
      message: `The ${label(field)} expires soon, at ${iso(expiresAt)}.`,
    }
  },
  /** token.sdk_decode_hazard: the payload segment has `-` or `_`, which the SDK's atob cannot decode. */
  tokenSdkDecodeHazard(field: CredentialField): Finding {
    return {
      code: FindingCode.TokenSdkDecodeHazard,
      severity: 'error',
      field,
      message: `The ${label(field)} payload contains "-" or "_" in base64url, which makes the 100ms SDK fail to decode it on join; re-mint it with plain ASCII user_id and role values.`,
    }
  },
  /** token.shared: the same secret is stored for more than one influencer. */
  tokenShared(field: CredentialField, sharedWithCount: number): Finding {
    return {
      code: FindingCode.TokenShared,
      severity: 'error',
      field,
      message: `${capitalized(label(field))} is also stored for ${sharedWithCount} other ${sharedWithCount === 1 ? 'influencer' : 'influencers'}.`,
    }
  },
  /** room_code.malformed: not `^[a-z]{3}-[a-z]{3,4}-[a-z]{3}$` (or a token in a room code slot). */
  roomCodeMalformed(field: CredentialField, looksLikeToken = false): Finding {
    return {
      code: FindingCode.RoomCodeMalformed,
      severity: 'error',
      field,
      message: looksLikeToken
        ? `The ${label(field)} looks like an auth token; store tokens in the token slot and room codes (like abc-defg-hij) here.`
        : `The ${label(field)} must look like abc-defg-hij (lowercase letters, 3-4-3 or 3-3-3).`,
    }
  },
  /** viewer.same_as_broadcaster: a viewer value equals a broadcaster value. */
  viewerSameAsBroadcaster(field: CredentialField, broadcasterField: CredentialField): Finding {
    return {
      code: FindingCode.ViewerSameAsBroadcaster,
      severity: 'error',
      field,
      message: `The ${label(field)} is the same as the ${label(broadcasterField)}, which would let viewers broadcast.`,
    }
  },
  /** viewer.role_is_broadcaster: the viewer JWT carries the broadcaster JWT's role. */
  viewerRoleIsBroadcaster(field: CredentialField, role: string): Finding {
    return {
      code: FindingCode.ViewerRoleIsBroadcaster,
      severity: 'error',
      field,
      message: `The ${label(field)} has the broadcaster token's role "${role}", which would let viewers broadcast.`,
    }
  },
  /** viewer.room_mismatch: viewer and broadcaster JWTs name different rooms. */
  viewerRoomMismatch(field: CredentialField): Finding {
    return {
      code: FindingCode.ViewerRoomMismatch,
      severity: 'warning',
      field,
      message: `The ${label(field)} is for a different room than the broadcaster token, so viewers may not see this stream.`,
    }
  },
  /** viewer.missing: no viewer credential is stored; an error while the influencer is live. */
  viewerMissing(isLive: boolean): Finding {
    return {
      code: FindingCode.ViewerMissing,
      severity: isLive ? 'error' : 'warning',
      field: null,
      message: isLive
        ? 'No viewer credential is stored while the influencer is live, so viewers cannot join.'
        : 'No viewer credential is stored, so viewers cannot join without the broadcaster fallback.',
    }
  },
  /** fallback.exposes_broadcaster: the fallback policy hands broadcaster credentials to viewers. */
  fallbackExposesBroadcaster(fields: readonly CredentialField[]): Finding {
    return {
      code: FindingCode.FallbackExposesBroadcaster,
      severity: 'error',
      field: null,
      message: `The broadcaster fallback is on and viewers would receive the ${list(fields.map(label))}, which lets anyone broadcast into the room.`,
    }
  },
} as const
