import { beforeAll, describe, expect, it } from 'vitest'
import { mintBroadcasterToken, mintToken, TEST_ROOM_ID, TEST_USER_ID } from '../../test-support/tokens.js'
import { emptyCredentials } from './credentials-input.js'
import { fingerprintSecret } from './fingerprint-secret.js'
import { evaluateInfluencer, type InfluencerFacts } from './evaluate-influencer.js'
import { maskSecret } from './mask-secret.js'
import type { Credentials, Finding } from './types.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const nowSeconds = NOW.getTime() / 1000
const DAY = 86_400
const t = {} as Record<
  'viewer' | 'viewerOtherRoom' | 'viewerHost' | 'viewerHostCase' | 'viewerExpiring' | 'broadcaster' | 'broadcasterHost',
  string
>

beforeAll(async () => {
  const now = { now: NOW }
  t.viewer = await mintToken({ exp: nowSeconds + 30 * DAY }, now)
  t.viewerOtherRoom = await mintToken({ room_id: 'another-room', exp: nowSeconds + 30 * DAY }, now)
  t.viewerHost = await mintToken({ role: 'host', exp: nowSeconds + 30 * DAY }, now)
  t.viewerHostCase = await mintToken({ role: 'Host', exp: nowSeconds + 30 * DAY }, now)
  t.viewerExpiring = await mintToken({ exp: nowSeconds + 2 * DAY }, now)
  t.broadcaster = await mintBroadcasterToken({ exp: nowSeconds + 20 * DAY }, now)
  t.broadcasterHost = await mintBroadcasterToken({ role: 'host', exp: nowSeconds + 20 * DAY }, now)
})

const report = (credentials: Partial<Credentials>, options: Omit<InfluencerFacts, 'credentials'> = {}) =>
  evaluateInfluencer({ credentials: { ...emptyCredentials(), ...credentials }, now: NOW, ...options })
const brief = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.severity}:${f.field ?? '-'}`)

describe('evaluateInfluencer cross-slot rules', () => {
  it.each<[string, () => Partial<Credentials>, string[]]>([
    [
      'a viewer token equal to the broadcaster token',
      () => ({ viewerToken: t.broadcaster, broadcasterToken: t.broadcaster }),
      ['viewer.same_as_broadcaster:error:viewerToken'],
    ],
    [
      'a viewer room code equal to the broadcaster room code',
      () => ({ viewerRoomCode: 'brd-abcd-xyz', broadcasterRoomCode: 'brd-abcd-xyz', viewerToken: t.viewer }),
      ['viewer.same_as_broadcaster:error:viewerRoomCode'],
    ],
    [
      'a viewer token carrying the broadcaster role',
      () => ({ viewerToken: t.viewerHost, broadcasterToken: t.broadcasterHost }),
      ['viewer.role_is_broadcaster:error:viewerToken'],
    ],
    [
      'a viewer token for a different room',
      () => ({ viewerToken: t.viewerOtherRoom, broadcasterToken: t.broadcaster }),
      ['viewer.room_mismatch:warning:viewerToken'],
    ],
  ])('reports %s', (_name, credentials, expected) => {
    expect(brief(report(credentials()).findings)).toEqual(expected)
  })

  it.each<[string, () => Partial<Credentials>]>([
    [
      'roles differing only in case (100ms roles are case-sensitive)',
      () => ({ viewerToken: t.viewerHostCase, broadcasterToken: t.broadcasterHost }),
    ],
    [
      'a viewer token for the broadcaster room with a viewer role',
      () => ({ viewerToken: t.viewer, broadcasterToken: t.broadcaster }),
    ],
    [
      'an HMS_ viewer token next to a JWT broadcaster token',
      () => ({ viewerToken: 'HMS_abcdefgh', broadcasterToken: t.broadcaster }),
    ],
  ])('reports nothing for %s', (_name, credentials) => {
    expect(report(credentials()).findings).toEqual([])
  })

  it('keeps a viewer token in another room usable, as the mismatch is only a warning', () => {
    expect(report({ viewerToken: t.viewerOtherRoom, broadcasterToken: t.broadcaster }).slots.viewerToken.usable).toBe(
      true,
    )
  })

  it('makes only the viewer slot unusable when it repeats a broadcaster value', () => {
    const { slots } = report({ viewerToken: t.broadcaster, broadcasterToken: t.broadcaster })
    expect([slots.viewerToken.usable, slots.broadcasterToken.usable]).toEqual([false, true])
    expect(brief(slots.viewerToken.findings)).toEqual(['viewer.same_as_broadcaster:error:viewerToken'])
  })
})

describe('evaluateInfluencer policy rules', () => {
  it.each<[string, () => Partial<Credentials>, Omit<InfluencerFacts, 'credentials'>, string[]]>([
    [
      'viewer.missing as a warning when no viewer credential is stored',
      () => ({ broadcasterToken: t.broadcaster }),
      {},
      ['viewer.missing:warning:-'],
    ],
    [
      'viewer.missing as an error while the influencer is live',
      () => ({ broadcasterToken: t.broadcaster }),
      { isLive: true },
      ['viewer.missing:error:-'],
    ],
    ['viewer.missing for an influencer with nothing stored', () => ({}), {}, ['viewer.missing:warning:-']],
    [
      'no viewer.missing when a viewer room code is stored',
      () => ({ viewerRoomCode: 'vwr-abcd-xyz' }),
      { isLive: true },
      [],
    ],
    [
      'fallback.exposes_broadcaster when the fallback hands broadcaster credentials to viewers',
      () => ({ broadcasterToken: t.broadcaster, broadcasterRoomCode: 'brd-abcd-xyz' }),
      { allowBroadcasterFallback: true },
      ['fallback.exposes_broadcaster:error:-', 'viewer.missing:warning:-'],
    ],
    [
      'fallback.exposes_broadcaster when unusable viewer credentials trigger the fallback',
      () => ({ viewerRoomCode: 'bad', broadcasterRoomCode: 'brd-abcd-xyz' }),
      { allowBroadcasterFallback: true },
      ['room_code.malformed:error:viewerRoomCode', 'fallback.exposes_broadcaster:error:-'],
    ],
    [
      'no fallback finding when the fallback is on but viewer credentials are usable',
      () => ({ viewerToken: t.viewer, broadcasterToken: t.broadcaster }),
      { allowBroadcasterFallback: true },
      [],
    ],
    [
      'no fallback finding when the fallback is off',
      () => ({ broadcasterToken: t.broadcaster }),
      {},
      ['viewer.missing:warning:-'],
    ],
  ])('reports %s', (_name, credentials, options, expected) => {
    expect(brief(report(credentials(), options).findings)).toEqual(expected)
  })

  it('names the exposed broadcaster credentials without quoting them', () => {
    const { findings } = report(
      { broadcasterToken: t.broadcaster, broadcasterRoomCode: 'brd-abcd-xyz' },
      { allowBroadcasterFallback: true },
    )
    const [exposes] = findings
    expect(exposes!.message).toMatch(/broadcaster token and broadcaster room code/)
    expect(exposes!.message).not.toMatch(/brd-abcd-xyz|eyJ/)
  })

  it('keeps the broadcaster credentials usable although the fallback finding is an error', () => {
    const result = report({ broadcasterToken: t.broadcaster }, { allowBroadcasterFallback: true })
    expect(result.slots.broadcasterToken.usable).toBe(true)
    expect(result.resolution).toMatchObject({ ok: true, source: 'broadcaster' })
  })
})

describe('evaluateInfluencer report', () => {
  it('describes each slot without its secret', () => {
    const result = report({
      viewerToken: t.viewer,
      viewerRoomCode: 'vwr-abcd-xyz',
      broadcasterToken: 'HMS_broadcaster_1234',
    })
    expect(result.slots).toEqual({
      broadcasterToken: {
        field: 'broadcasterToken',
        role: 'broadcaster',
        kind: 'token',
        present: true,
        masked: maskSecret('HMS_broadcaster_1234'),
        fingerprint: fingerprintSecret('HMS_broadcaster_1234'),
        format: 'hms',
        tokenRole: null,
        roomId: null,
        expiresAt: null,
        claims: null,
        findings: [],
        usable: true,
      },
      broadcasterRoomCode: {
        field: 'broadcasterRoomCode',
        role: 'broadcaster',
        kind: 'room_code',
        present: false,
        masked: null,
        fingerprint: null,
        format: null,
        tokenRole: null,
        roomId: null,
        expiresAt: null,
        claims: null,
        findings: [],
        usable: false,
      },
      viewerToken: {
        field: 'viewerToken',
        role: 'viewer',
        kind: 'token',
        present: true,
        masked: maskSecret(t.viewer),
        fingerprint: fingerprintSecret(t.viewer),
        format: 'jwt',
        tokenRole: 'viewer',
        roomId: expect.any(String),
        expiresAt: new Date((nowSeconds + 30 * DAY) * 1000),
        claims: {
          role: 'viewer',
          room_id: TEST_ROOM_ID,
          user_id: TEST_USER_ID,
          type: 'app',
          iat: new Date((nowSeconds - 10) * 1000),
          nbf: new Date((nowSeconds - 10) * 1000),
          exp: new Date((nowSeconds + 30 * DAY) * 1000),
        },
        findings: [],
        usable: true,
      },
      viewerRoomCode: {
        field: 'viewerRoomCode',
        role: 'viewer',
        kind: 'room_code',
        present: true,
        masked: maskSecret('vwr-abcd-xyz'),
        fingerprint: fingerprintSecret('vwr-abcd-xyz'),
        format: 'room_code',
        tokenRole: null,
        roomId: null,
        expiresAt: null,
        claims: null,
        findings: [],
        usable: true,
      },
    })
    expect(result).toMatchObject({ status: 'ready', findings: [], counts: { error: 0, warning: 0 } })
  })

  it('never contains a secret outside the resolution handed to viewers', () => {
    const secrets = [t.viewerExpiring, 'vwr-abcd-xyz', t.broadcaster, 'brd-abc-xyz']
    const result = report(
      {
        viewerToken: secrets[0],
        viewerRoomCode: 'VWR-ABCD-XYZ'.toLowerCase(),
        broadcasterToken: secrets[2],
        broadcasterRoomCode: secrets[3],
      },
      { isLive: true },
    )
    const text = JSON.stringify({ ...result, resolution: undefined })
    for (const secret of secrets) expect(text).not.toContain(secret)
  })

  it('lists errors first, then warnings, each in slot order', () => {
    const result = report({
      viewerToken: t.viewerExpiring,
      viewerRoomCode: 'nope',
      broadcasterToken: 'nada',
      broadcasterRoomCode: 'x',
    })
    expect(brief(result.findings)).toEqual([
      'token.unrecognized:error:broadcasterToken',
      'room_code.malformed:error:broadcasterRoomCode',
      'room_code.malformed:error:viewerRoomCode',
      'token.expiring:warning:viewerToken',
    ])
    expect(result.counts).toEqual({ error: 3, warning: 1 })
  })

  it('lists influencer-wide errors after the slot errors and before the warnings', () => {
    const result = report(
      { viewerToken: t.viewerOtherRoom, broadcasterToken: t.broadcaster, viewerRoomCode: 'bad' },
      { isLive: true },
    )
    const live = report({ broadcasterToken: 'bad' }, { isLive: true })
    expect(brief(result.findings)).toEqual([
      'room_code.malformed:error:viewerRoomCode',
      'viewer.room_mismatch:warning:viewerToken',
    ])
    expect(brief(live.findings)).toEqual(['token.unrecognized:error:broadcasterToken', 'viewer.missing:error:-'])
  })

  it('reports the earliest expiry among stored JWTs', () => {
    const result = report({ viewerToken: t.viewer, broadcasterToken: t.broadcaster })
    expect(result.earliestExpiry).toEqual(new Date((nowSeconds + 20 * DAY) * 1000))
    expect(report({ viewerToken: 'HMS_abcdefgh' }).earliestExpiry).toBeNull()
  })

  it('reports a secret another influencer also holds as token.shared on its slot, making it unusable', () => {
    const shared: Finding = {
      code: 'token.shared',
      severity: 'error',
      field: 'viewerRoomCode',
      message: 'Viewer room code is also stored for 2 other influencers.',
    }
    const credentials = { viewerToken: t.viewer, viewerRoomCode: 'vwr-abcd-xyz' }
    const result = report(credentials, { sharedSecrets: [{ field: 'viewerRoomCode', sharedWithCount: 2 }] })
    expect(result.slots.viewerRoomCode).toMatchObject({ usable: false, findings: [shared] })
    expect(result.findings).toEqual([shared])
    expect(result.status).toBe('limited')
    expect(report(credentials).status).toBe('ready')
  })

  it('ignores a shared-secret fact about an empty slot', () => {
    const result = report(
      { viewerToken: t.viewer },
      { sharedSecrets: [{ field: 'viewerRoomCode', sharedWithCount: 1 }] },
    )
    expect(result.findings.map((f) => f.code)).toEqual([])
  })

  it('trims values before inspecting them', () => {
    const result = report({ viewerToken: `  ${t.viewer} `, viewerRoomCode: '\tvwr-abcd-xyz\n' })
    expect(result.status).toBe('ready')
    expect(result.slots.viewerRoomCode.fingerprint).toBe(fingerprintSecret('vwr-abcd-xyz'))
  })

  it('fingerprints with the injected SHA-256, or not at all with fingerprints: false', () => {
    const hashed: string[] = []
    const sha256Hex = (text: string) => {
      hashed.push(text)
      return 'ab'.repeat(32)
    }
    const credentials = { viewerToken: t.viewer, viewerRoomCode: ' vwr-abcd-xyz ' }
    const result = report(credentials, { sha256Hex })
    expect(result.slots.viewerRoomCode.fingerprint).toBe('sha256:abababababab')
    expect(result.slots.broadcasterToken.fingerprint).toBeNull()
    expect(hashed).toEqual([t.viewer, 'vwr-abcd-xyz'])
    const bare = report(credentials, { sha256Hex, fingerprints: false })
    expect(hashed).toHaveLength(2)
    expect(bare.slots.viewerToken.fingerprint).toBeNull()
    const withoutFingerprints = (r: typeof result) => ({
      ...r,
      slots: Object.fromEntries(Object.entries(r.slots).map(([k, v]) => [k, { ...v, fingerprint: null }])),
    })
    expect(withoutFingerprints(bare)).toEqual(withoutFingerprints(result))
  })

  it('reports the earliest expiry among both tokens and counts errors and warnings', () => {
    const result = report({
      viewerToken: t.viewerExpiring,
      broadcasterToken: t.broadcaster,
      broadcasterRoomCode: 'not a code',
    })
    expect(result.earliestExpiry).toEqual(new Date((nowSeconds + 2 * DAY) * 1000))
    expect(result.earliestExpiry).not.toBe(result.slots.viewerToken.expiresAt)
    expect(result.counts).toEqual({
      error: result.findings.filter((f) => f.severity === 'error').length,
      warning: result.findings.filter((f) => f.severity === 'warning').length,
    })
    expect(result.counts.error).toBeGreaterThan(0)
    expect(result.counts.warning).toBeGreaterThan(0)
    expect(report({}).earliestExpiry).toBeNull()
  })

  it('returns data instead of throwing for hostile input', () => {
    const junk = {
      viewerToken: `eyJ.${'\u0000'.repeat(10)}.x`,
      viewerRoomCode: '🙂',
      broadcasterToken: '.'.repeat(100),
      broadcasterRoomCode: 'eyJ',
    }
    expect(() => report(junk, { isLive: true, allowBroadcasterFallback: true })).not.toThrow()
    expect(report(junk).status).toBe('not_configured')
  })
})
