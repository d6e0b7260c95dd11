import type { FindingCode, Severity } from './types.js'

/** What one finding code means and how to fix it: the audit's rule metadata (SARIF rules, README). */
export interface FindingRule {
  /** The severity it usually has (`viewer.missing` becomes an error while the influencer is live). */
  severity: Severity
  /** One line: what is wrong. */
  title: string
  /** Why it matters, in a sentence or two. */
  description: string
  /** What to do about it. */
  fix: string
}

/** Every finding code of DESIGN.md section 2 with its meaning and fix; never contains a secret. */
export const FINDING_RULES = {
  'token.unrecognized': {
    severity: 'error',
    title: 'The auth token is neither a 100ms JWT nor an HMS_ token.',
    description:
      'A stored auth token must be a 100ms JWT (it starts with eyJ) or an HMS_ token; 100ms rejects anything else.',
    fix: 'Store the auth token from the 100ms dashboard, or mint one with `hms-admin token mint`.',
  },
  'token.malformed': {
    severity: 'error',
    title: 'The JWT is malformed.',
    description:
      'The token does not have three base64url parts, or its header or payload is not a JSON object, or a time claim is not a number.',
    fix: 'Copy the whole token again (a truncated paste is the usual cause), or mint a new one.',
  },
  'token.missing_claim': {
    severity: 'error',
    title: 'The JWT lacks room_id, role or access_key.',
    description: '100ms needs the room_id, role and access_key claims to admit a peer; without them joining fails.',
    fix: 'Mint a token with `hms-admin token mint --room-id ... --role ...`.',
  },
  'token.user_id_not_string': {
    severity: 'error',
    title: 'The JWT user_id claim is not a string.',
    description: '100ms answers 401 to a token whose user_id is a number or an object.',
    fix: 'Mint the token again with a string user id.',
  },
  'token.not_app_token': {
    severity: 'error',
    title: 'The JWT is not an app token.',
    description:
      'Only tokens with `type: "app"` join rooms; a management token grants API access and must not be stored here.',
    fix: 'Store an app auth token for the room, not a management token.',
  },
  'token.expired': {
    severity: 'error',
    title: 'The token has expired.',
    description: 'The token exp is in the past, so 100ms rejects it and nobody can join with it.',
    fix: 'Rotate it: `hms-admin rotate`, or set a new one with `hms-admin set-token`.',
  },
  'token.not_yet_valid': {
    severity: 'warning',
    title: 'The token is not valid yet.',
    description: 'The token nbf is in the future; joining fails until then.',
    fix: 'Check the clock of the machine that minted it, or wait until the token becomes valid.',
  },
  'token.expiring': {
    severity: 'warning',
    title: 'The token expires soon.',
    description: 'The token expires within the expiry period of the audit (default 7 days, `--expiring-within`).',
    fix: 'Rotate it before it expires: `hms-admin rotate --expiring-within 7d`.',
  },
  'token.sdk_decode_hazard': {
    severity: 'error',
    title: 'The 100ms web SDK cannot decode this token.',
    description: 'The payload segment contains `-` or `_`; the SDK decodes it with atob, which throws on join.',
    fix: 'Mint the token again (a different iat or user id changes the payload).',
  },
  'token.shared': {
    severity: 'error',
    title: 'The same secret is stored for more than one influencer.',
    description:
      'Each influencer must have credentials of its own; a shared secret lets one stream be joined or broadcast into through another.',
    fix: 'Give each influencer its own token or room code (`hms-admin set-token`).',
  },
  'room_code.malformed': {
    severity: 'error',
    title: 'The room code is malformed.',
    description: 'A 100ms room code looks like `abc-defg-hij` (lowercase letters, 3-3/4-3).',
    fix: 'Copy the room code from the 100ms dashboard again.',
  },
  'viewer.same_as_broadcaster': {
    severity: 'error',
    title: 'A viewer credential equals the broadcaster credential.',
    description: 'Viewers would receive the broadcaster credential, which lets anyone broadcast into the room.',
    fix: 'Store a viewer token or room code for a viewer role.',
  },
  'viewer.role_is_broadcaster': {
    severity: 'error',
    title: 'The viewer token carries the broadcaster role.',
    description: 'A viewer token with the broadcaster token role lets viewers publish into the room.',
    fix: 'Mint the viewer token with a viewer role (for example `viewer-realtime` or `hls-viewer`).',
  },
  'viewer.room_mismatch': {
    severity: 'warning',
    title: 'The viewer and broadcaster tokens name different rooms.',
    description: 'Viewers would join another room than the one the influencer broadcasts into.',
    fix: 'Mint the viewer token for the room_id of the broadcaster token.',
  },
  'viewer.missing': {
    severity: 'warning',
    title: 'No viewer credential is stored.',
    description: 'Viewers cannot join without a viewer token or room code; an error while the influencer is live.',
    fix: 'Set one: `hms-admin set-token <influencer> --viewer-token -` or `--viewer-room-code`.',
  },
  'fallback.exposes_broadcaster': {
    severity: 'error',
    title: 'The fallback policy hands broadcaster credentials to viewers.',
    description:
      'With HMS_ALLOW_BROADCASTER_FALLBACK on, anonymous viewers would receive a broadcaster credential and could broadcast.',
    fix: 'Store viewer credentials, and turn the broadcaster fallback off.',
  },
} as const satisfies Record<FindingCode, FindingRule>
