import { createHmac, randomUUID } from 'node:crypto'

/** Characters a minted role, user id or room id may hold: ASCII that the 100ms SDK decodes safely. */
export const CLAIM_VALUE_PATTERN = /^[A-Za-z0-9._@:-]{1,128}$/

/** 100ms accepts auth tokens valid for at most 90 days (its FAQ). */
export const MAX_VALID_FOR_MS = 90 * 24 * 60 * 60 * 1000

/** What a minted token says: the claims a caller chooses. */
export interface MintRequest {
  accessKey: string
  roomId: string
  role: string
  /** Left out of the claims when absent (as 100ms's server SDK does). */
  userId?: string
  validForMs: number
  now: Date
}

/** The exact claim set 100ms documents for an app auth token, in its order. */
export interface AppTokenClaims {
  access_key: string
  type: 'app'
  version: 2
  room_id: string
  role: string
  user_id?: string
  iat: number
  nbf: number
  exp: number
  jti: string
}

/** The claims of a mint request, as 100ms's server SDK computes them: iat 10 s back, nbf = iat, exp = nbf + validity. */
export function appTokenClaims(request: MintRequest): AppTokenClaims {
  const iat = Math.floor(request.now.getTime() / 1000) - 10
  return {
    access_key: request.accessKey,
    type: 'app',
    version: 2,
    room_id: request.roomId,
    role: request.role,
    ...(request.userId === undefined ? {} : { user_id: request.userId }),
    iat,
    nbf: iat,
    exp: iat + Math.floor(request.validForMs / 1000),
    jti: randomUUID(),
  }
}

/** The claims whose value breaks CLAIM_VALUE_PATTERN, by claim name (never echoing the value). */
export function invalidClaimValues(request: Pick<MintRequest, 'roomId' | 'role' | 'userId'>): string[] {
  const named: [string, string | undefined][] = [
    ['room_id', request.roomId],
    ['role', request.role],
    ['user_id', request.userId],
  ]
  return named.filter(([, value]) => value !== undefined && !CLAIM_VALUE_PATTERN.test(value)).map(([name]) => name)
}

const segment = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')

/** True when a JWT's payload segment holds `-` or `_`, which the 100ms SDK's atob() throws on at join. */
export function hasDecodeHazard(token: string): boolean {
  return /[-_]/.test(token.split('.')[1] ?? '')
}

/** Signs claims as an HS256 JWT with the app secret (header `{"alg":"HS256","typ":"JWT"}`). */
export function signAppToken(claims: AppTokenClaims, secret: string): string {
  const unsigned = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(claims)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}
