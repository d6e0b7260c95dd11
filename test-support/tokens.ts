/**
 * Test helper: mints real 100ms-style auth tokens (HS256, signed with `jose`) and produces one
 * malformed token per way a token can be malformed. Test-only code: Node APIs are fine here.
 */
import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'

/** The HS256 app secret tokens are signed with unless a test passes its own. */
export const TEST_APP_SECRET = 'test-app-secret-that-is-long-enough-for-hs256'

/** The default `access_key` claim of minted tokens. */
export const TEST_ACCESS_KEY = '5f9edc6bd238215aec7700e2'
/** The default `room_id` claim of minted tokens. */
export const TEST_ROOM_ID = '5fcb4df6b492419a985ab23a'
/** The default `user_id` claim of minted tokens. */
export const TEST_USER_ID = 'test-user'

/** Options of `mintToken`. */
export interface MintTokenOptions {
  /** HS256 signing secret (default `TEST_APP_SECRET`). */
  secret?: string
  /** Extra or overriding protected-header fields (`alg` stays HS256). */
  header?: Record<string, unknown>
  /** The clock the default `iat`, `nbf` and `exp` are computed from (default: the real clock). */
  now?: Date
}

/**
 * Claims of a minted token. A key set to `undefined` removes that default claim (e.g.
 * `{ role: undefined }` mints a token without `role`).
 */
export type TokenClaims = Record<string, unknown>

/**
 * Mints a signed 100ms app token; defaults are a valid viewer token (access_key, room_id,
 * user_id, role 'viewer', type 'app', version 2, iat = nbf = now - 10 s, exp = now + 24 h, jti).
 */
export async function mintToken(claims: TokenClaims = {}, options: MintTokenOptions = {}): Promise<string> {
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000)
  const merged: Record<string, unknown> = {
    access_key: TEST_ACCESS_KEY,
    room_id: TEST_ROOM_ID,
    user_id: TEST_USER_ID,
    role: 'viewer',
    type: 'app',
    version: 2,
    iat: nowSeconds - 10,
    nbf: nowSeconds - 10,
    exp: nowSeconds + 24 * 60 * 60,
    jti: randomUUID(),
    ...claims,
  }
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key]
  // alg first, as 100ms tokens start with eyJhbGciOi; a custom header may not change it.
  const header = { alg: 'HS256', typ: 'JWT', ...options.header }
  header.alg = 'HS256'
  return new SignJWT(merged)
    .setProtectedHeader(header)
    .sign(new TextEncoder().encode(options.secret ?? TEST_APP_SECRET))
}

/** Mints a valid broadcaster token (role 'broadcaster'); other claims as in `mintToken`. */
export function mintBroadcasterToken(claims: TokenClaims = {}, options: MintTokenOptions = {}): Promise<string> {
  return mintToken({ role: 'broadcaster', ...claims }, options)
}

/** Mints a 100ms management token (type 'management', no room, role or user). */
export function mintManagementToken(options: MintTokenOptions = {}): Promise<string> {
  return mintToken({ type: 'management', room_id: undefined, role: undefined, user_id: undefined }, options)
}

/** Every way `malformedToken` can make a token malformed. */
export const MALFORMED_TOKEN_KINDS = [
  'two_parts',
  'four_parts',
  'payload_not_base64url',
  'payload_not_json',
  'payload_json_array',
  'header_not_json',
  'header_json_array',
  'empty_signature',
] as const

/** One way of being malformed. */
export type MalformedTokenKind = (typeof MALFORMED_TOKEN_KINDS)[number]

const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url')
const VALID_HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
const VALID_PAYLOAD = b64url(
  JSON.stringify({
    access_key: TEST_ACCESS_KEY,
    room_id: TEST_ROOM_ID,
    user_id: 'u1',
    role: 'viewer',
    type: 'app',
    version: 2,
  }),
)
const SIGNATURE = b64url('signature not checked')

/** Returns a token that is malformed in the given way (its parts are otherwise plausible). */
export function malformedToken(kind: MalformedTokenKind): string {
  switch (kind) {
    case 'two_parts':
      return `${VALID_HEADER}.${VALID_PAYLOAD}`
    case 'four_parts':
      return `${VALID_HEADER}.${VALID_PAYLOAD}.${SIGNATURE}.${SIGNATURE}`
    case 'payload_not_base64url':
      return `${VALID_HEADER}.eyJ!not*base64$.${SIGNATURE}`
    case 'payload_not_json':
      return `${VALID_HEADER}.${b64url('{"room_id": "abc", ')}.${SIGNATURE}`
    case 'payload_json_array':
      return `${VALID_HEADER}.${b64url('["room_id","role"]')}.${SIGNATURE}`
    case 'header_not_json':
      return `${b64url('{alg: HS256')}.${VALID_PAYLOAD}.${SIGNATURE}`
    case 'header_json_array':
      return `${b64url('["HS256"]')}.${VALID_PAYLOAD}.${SIGNATURE}`
    case 'empty_signature':
      return `${VALID_HEADER}.${VALID_PAYLOAD}.`
  }
}

/** All malformed tokens as `[kind, token]` rows, ready for `it.each`. */
export function malformedTokenRows(): [MalformedTokenKind, string][] {
  return MALFORMED_TOKEN_KINDS.map((kind) => [kind, malformedToken(kind)])
}

/**
 * Mints an otherwise valid, signed token whose payload segment contains `-` or `_` (the 100ms
 * SDK's `atob` throws on it), using a user_id such as 'ab~' or 'ab?' that encodes to those bytes.
 */
export async function mintDecodeHazardToken(claims: TokenClaims = {}, options: MintTokenOptions = {}): Promise<string> {
  // Which user_id trips the hazard depends on its byte offset in the JSON, so try the known culprits.
  for (const userId of ['ab~', 'ab?', 'a~', 'a?', '~~~', '???', 'a>>', '>>>']) {
    const token = await mintToken({ ...claims, user_id: userId }, options)
    if (payloadHasDecodeHazard(token)) return token
  }
  throw new Error('could not mint a token whose payload segment contains - or _')
}

/** Returns true when a token's payload segment contains `-` or `_`. */
export function payloadHasDecodeHazard(token: string): boolean {
  return /[-_]/.test(token.split('.')[1] ?? '')
}
