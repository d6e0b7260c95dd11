import { describe, expect, it } from 'vitest'
import {
  MALFORMED_TOKEN_KINDS,
  TEST_ROOM_ID,
  malformedToken,
  malformedTokenRows,
  mintDecodeHazardToken,
  mintManagementToken,
  mintToken,
  payloadHasDecodeHazard,
} from '../../test-support/tokens.js'
import { DEFAULT_EXPIRING_WITHIN_MS } from './parse-duration.js'
import { inspectToken } from './inspect-token.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const nowSeconds = NOW.getTime() / 1000
const HOUR = 3600
// Default minted tokens live 24 h, inside the default 7-day window, so most tests use a 1 h window.
const SHORT_WINDOW = { expiringWithinMs: HOUR * 1000 }
const codes = (value: string, options = {}) =>
  inspectToken(value, 'viewerToken', { now: NOW, ...SHORT_WINDOW, ...options }).findings.map(
    (finding) => `${finding.code}:${finding.severity}`,
  )

describe('inspectToken', () => {
  it('accepts a valid 100ms app token and reads its role, room and expiry', async () => {
    const token = await mintToken({ role: 'viewer-realtime' }, { now: NOW })
    const inspection = inspectToken(token, 'viewerToken', { now: NOW, ...SHORT_WINDOW })
    expect(inspection).toMatchObject({ format: 'jwt', role: 'viewer-realtime', roomId: TEST_ROOM_ID, findings: [] })
    expect(inspection.expiresAt).toEqual(new Date((nowSeconds + 24 * HOUR) * 1000))
    expect(inspection.header).toMatchObject({ alg: 'HS256', typ: 'JWT' })
    expect(inspection.claims).toMatchObject({ type: 'app', version: 2 })
  })

  it('trims surrounding whitespace before inspecting', async () => {
    const token = await mintToken({}, { now: NOW })
    expect(inspectToken(`  ${token}\n`, 'viewerToken', { now: NOW, ...SHORT_WINDOW }).findings).toEqual([])
  })

  it.each(['HMS_abc123', 'HMS_9f8e7d6c5b4a-xyz'])('accepts the HMS_ custom token %s with no known expiry', (token) => {
    expect(inspectToken(token, 'broadcasterToken', { now: NOW })).toEqual({
      format: 'hms',
      role: null,
      roomId: null,
      expiresAt: null,
      findings: [],
    })
  })

  it.each([
    ['a random word', 'hello-world'],
    ['an empty HMS_ prefix', 'HMS_'],
    ['a URL', 'https://example.app.100ms.live/meeting/abc-defg-hij'],
    ['a bearer header', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['an empty value', ''],
  ])('reports token.unrecognized for %s', (_name, value) => {
    const inspection = inspectToken(value, 'viewerToken', { now: NOW })
    expect(inspection.format).toBe('unrecognized')
    expect(codes(value)).toEqual(['token.unrecognized:error'])
    expect(inspection.findings[0]!.message).toContain('must be a 100ms JWT (starts with eyJ) or an HMS_ token')
  })

  it('says so clearly when a room code is stored in a token slot', () => {
    const [finding] = inspectToken('abc-defg-hij', 'viewerToken', { now: NOW }).findings
    expect(finding).toMatchObject({ code: 'token.unrecognized', field: 'viewerToken' })
    expect(finding!.message).toMatch(/looks like a room code/)
    expect(finding!.message).not.toContain('abc-defg-hij')
  })

  it.each(malformedTokenRows())('reports token.malformed for a token with %s', (_kind, token) => {
    const inspection = inspectToken(token, 'viewerToken', { now: NOW })
    expect(inspection.format).toBe('jwt')
    expect(codes(token)).toEqual(['token.malformed:error'])
    expect(inspection.findings[0]!.message).not.toContain(token)
  })

  it('covers every kind of malformed token in the shared test helper', () => {
    expect(new Set(MALFORMED_TOKEN_KINDS.map((kind) => malformedToken(kind))).size).toBe(MALFORMED_TOKEN_KINDS.length)
  })

  it.each([
    ['room_id', { room_id: undefined }, /claim room_id\./],
    ['role', { role: undefined }, /claim role\./],
    ['access_key', { access_key: undefined }, /claim access_key\./],
    ['an empty role', { role: '' }, /claim role\./],
    [
      'all three',
      { room_id: undefined, role: undefined, access_key: undefined },
      /claims room_id, role and access_key\./,
    ],
  ])('reports one token.missing_claim naming %s when missing', async (_name, claims, message) => {
    const token = await mintToken(claims, { now: NOW })
    const findings = inspectToken(token, 'viewerToken', { now: NOW, ...SHORT_WINDOW }).findings
    expect(findings.map((finding) => finding.code)).toEqual(['token.missing_claim'])
    expect(findings[0]!.message).toMatch(message)
  })

  it.each([
    ['a number', 42],
    ['null', null],
    ['an object', { id: 'x' }],
  ])('reports token.user_id_not_string when user_id is %s', async (_name, userId) => {
    expect(codes(await mintToken({ user_id: userId }, { now: NOW }))).toEqual(['token.user_id_not_string:error'])
  })

  it('accepts a token without user_id, as the server SDK mints when none is given', async () => {
    expect(codes(await mintToken({ user_id: undefined }, { now: NOW }))).toEqual([])
  })

  it.each([
    ['a management type', { type: 'management' }, /type "management"/],
    ['no type', { type: undefined }, /no type claim/],
    ['a numeric type', { type: 1 }, /non-string type/],
  ])('reports token.not_app_token for %s', async (_name, claims, message) => {
    const findings = inspectToken(await mintToken(claims, { now: NOW }), 'viewerToken', {
      now: NOW,
      ...SHORT_WINDOW,
    }).findings
    expect(findings.map((finding) => finding.code)).toEqual(['token.not_app_token'])
    expect(findings[0]!.message).toMatch(message)
  })

  it('reports a real management token as lacking room claims and not being an app token', async () => {
    expect(codes(await mintManagementToken({ now: NOW }))).toEqual([
      'token.missing_claim:error',
      'token.not_app_token:error',
    ])
  })

  it.each([
    ['exp equals now', { exp: nowSeconds }, ['token.expired:error']],
    ['exp is an hour ago', { exp: nowSeconds - HOUR }, ['token.expired:error']],
    ['nbf is in an hour', { nbf: nowSeconds + HOUR }, ['token.not_yet_valid:warning']],
    ['nbf equals now', { nbf: nowSeconds }, []],
    ['exp is in one second', { exp: nowSeconds + 1 }, ['token.expiring:warning']],
    ['exp is exactly at the end of the window', { exp: nowSeconds + HOUR }, ['token.expiring:warning']],
    ['exp is just past the window', { exp: nowSeconds + HOUR + 1 }, []],
    ['exp is not a number', { exp: 'tomorrow' }, ['token.malformed:error']],
    ['nbf is not a number', { nbf: '0' }, ['token.malformed:error']],
    ['exp is absent', { exp: undefined }, []],
  ])('applies the clock when %s', async (_name, claims, expected) => {
    expect(codes(await mintToken(claims, { now: NOW }))).toEqual(expected)
  })

  it.each([
    ['at the end of the default 7-day window', DEFAULT_EXPIRING_WITHIN_MS / 1000, ['token.expiring:warning']],
    ['just past the default 7-day window', DEFAULT_EXPIRING_WITHIN_MS / 1000 + 1, []],
    ['24 hours away, as 100ms mints by default', 24 * HOUR, ['token.expiring:warning']],
  ])('uses the default window when none is given for a token expiring %s', async (_name, seconds, expected) => {
    const token = await mintToken({ exp: nowSeconds + seconds }, { now: NOW })
    expect(inspectToken(token, 'viewerToken', { now: NOW }).findings.map((f) => `${f.code}:${f.severity}`)).toEqual(
      expected,
    )
  })

  it('uses the expiry window it is given', async () => {
    const token = await mintToken({ exp: nowSeconds + 2 * HOUR }, { now: NOW })
    expect(codes(token, { expiringWithinMs: HOUR * 1000 })).toEqual([])
    expect(codes(token, { expiringWithinMs: 3 * HOUR * 1000 })).toEqual(['token.expiring:warning'])
  })

  it('uses the clock it is given', async () => {
    const token = await mintToken({}, { now: NOW })
    const later = new Date(NOW.getTime() + 25 * HOUR * 1000)
    expect(inspectToken(token, 'viewerToken', { now: later }).findings.map((finding) => finding.code)).toEqual([
      'token.expired',
    ])
  })

  it.each(['ab~', 'ab?'])(
    "reports token.sdk_decode_hazard when user_id '%s' puts - or _ in the payload segment",
    async (userId) => {
      // Whether the character hits a hazardous 6-bit group depends on its byte offset, so pad until it does.
      let token = ''
      for (const pad of ['', 'x', 'xx']) {
        token = await mintToken({ user_id: pad + userId }, { now: NOW })
        if (payloadHasDecodeHazard(token)) break
      }
      expect(payloadHasDecodeHazard(token)).toBe(true)
      expect(codes(token)).toEqual(['token.sdk_decode_hazard:error'])
    },
  )

  it('reports token.sdk_decode_hazard for the shared hazard token helper', async () => {
    expect(codes(await mintDecodeHazardToken({}, { now: NOW }))).toEqual(['token.sdk_decode_hazard:error'])
  })

  it('names the slot it inspected and never quotes the token', async () => {
    const token = await mintToken({ exp: nowSeconds - 1 }, { now: NOW })
    const [finding] = inspectToken(token, 'broadcasterToken', { now: NOW }).findings
    expect(finding).toMatchObject({ field: 'broadcasterToken', code: 'token.expired' })
    expect(finding!.message).toMatch(/^The broadcaster token expired at 2026-06-01T11:59:59.000Z\.$/)
  })

  it.each(['.', '..', 'eyJ', 'eyJ..', 'a.b.c', '\u0000.\u0000.\u0000', `eyJ${'A'.repeat(5001)}`])(
    'returns findings instead of throwing for %j',
    (value) => {
      expect(() => inspectToken(value, 'viewerToken')).not.toThrow()
      expect(inspectToken(value, 'viewerToken').findings.length).toBeGreaterThan(0)
    },
  )
})
