import { describe, expect, it } from 'vitest'
import {
  malformedToken,
  mintBroadcasterToken,
  mintDecodeHazardToken,
  mintManagementToken,
  mintToken,
} from '../../test-support/tokens.js'
import { emptyCredentials } from './credentials-input.js'
import { findings as build } from './findings.js'
import { evaluateInfluencer, type InfluencerFacts } from './evaluate-influencer.js'
import { findSharedSecrets } from './shared-secrets.js'
import { FindingCode, type Credentials, type Finding, type Severity } from './types.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const nowSeconds = NOW.getTime() / 1000
const now = { now: NOW }

// Each scenario stores credentials the way an operator would and returns them with the policy.
type Scenario = () => Promise<[Partial<Credentials>, Omit<InfluencerFacts, 'credentials'>?]>
const scenarios: [FindingCode, Severity, Scenario][] = [
  ['token.unrecognized', 'error', async () => [{ viewerToken: 'abc-defg-hij' }]],
  ['token.malformed', 'error', async () => [{ viewerToken: malformedToken('payload_json_array') }]],
  ['token.missing_claim', 'error', async () => [{ viewerToken: await mintToken({ role: undefined }, now) }]],
  ['token.user_id_not_string', 'error', async () => [{ viewerToken: await mintToken({ user_id: 7 }, now) }]],
  ['token.not_app_token', 'error', async () => [{ broadcasterToken: await mintManagementToken(now) }]],
  ['token.expired', 'error', async () => [{ viewerToken: await mintToken({ exp: nowSeconds - 1 }, now) }]],
  ['token.not_yet_valid', 'warning', async () => [{ viewerToken: await mintToken({ nbf: nowSeconds + 60 }, now) }]],
  ['token.expiring', 'warning', async () => [{ viewerToken: await mintToken({}, now) }]],
  ['token.sdk_decode_hazard', 'error', async () => [{ viewerToken: await mintDecodeHazardToken({}, now) }]],
  ['room_code.malformed', 'error', async () => [{ viewerRoomCode: await mintToken({}, now) }]],
  [
    'viewer.same_as_broadcaster',
    'error',
    async () => {
      const token = await mintBroadcasterToken({}, now)
      return [{ viewerToken: token, broadcasterToken: token }]
    },
  ],
  [
    'viewer.role_is_broadcaster',
    'error',
    async () => [
      { viewerToken: await mintToken({ role: 'host' }, now), broadcasterToken: await mintToken({ role: 'host' }, now) },
    ],
  ],
  [
    'viewer.room_mismatch',
    'warning',
    async () => [
      { viewerToken: await mintToken({ room_id: 'r2' }, now), broadcasterToken: await mintBroadcasterToken({}, now) },
    ],
  ],
  ['viewer.missing', 'warning', async () => [{ broadcasterRoomCode: 'brd-abcd-xyz' }]],
  ['viewer.missing', 'error', async () => [{ broadcasterRoomCode: 'brd-abcd-xyz' }, { isLive: true }]],
  [
    'fallback.exposes_broadcaster',
    'error',
    async () => [{ broadcasterRoomCode: 'brd-abcd-xyz' }, { allowBroadcasterFallback: true }],
  ],
  [
    'token.shared',
    'error',
    async () => {
      const token = await mintToken({}, now)
      const shared = findSharedSecrets([
        { influencerId: 'a', credentials: { ...emptyCredentials(), viewerToken: token } },
        { influencerId: 'b', credentials: { ...emptyCredentials(), viewerToken: token } },
      ])
      return [{ viewerToken: token }, { sharedSecrets: shared.get('a') }]
    },
  ],
]

const secretsOf = (credentials: Partial<Credentials>) =>
  Object.values(credentials).filter((value): value is string => !!value)

describe('findings', () => {
  it.each(scenarios)('reports %s as %s', async (code, severity, scenario) => {
    const [credentials, options] = await scenario()
    const report = evaluateInfluencer({ credentials: { ...emptyCredentials(), ...credentials }, ...now, ...options })
    const finding = report.findings.find((f: Finding) => f.code === code)
    expect(finding).toMatchObject({ code, severity })
    for (const secret of secretsOf(credentials)) expect(finding!.message).not.toContain(secret)
    expect(finding!.message).toMatch(/^[A-Z].*\.$/)
  })

  it('has a scenario for every finding code', () => {
    expect(new Set(scenarios.map(([code]) => code))).toEqual(new Set(Object.values(FindingCode)))
  })

  const when = new Date('2026-06-02T00:00:00Z')
  it.each<[string, Finding]>([
    ['tokenUnrecognized', build.tokenUnrecognized('viewerToken')],
    ['tokenUnrecognized (room code in a token slot)', build.tokenUnrecognized('viewerToken', true)],
    ['tokenMalformed (parts)', build.tokenMalformed('viewerToken', { kind: 'parts', count: 2 })],
    ['tokenMalformed (base64url)', build.tokenMalformed('viewerToken', { kind: 'not_base64url', part: 'payload' })],
    ['tokenMalformed (JSON)', build.tokenMalformed('viewerToken', { kind: 'not_json_object', part: 'header' })],
    ['tokenMalformed (claim)', build.tokenMalformed('viewerToken', { kind: 'claim_not_number', claim: 'exp' })],
    ['tokenMissingClaim', build.tokenMissingClaim('viewerToken', ['room_id', 'role'])],
    ['tokenUserIdNotString', build.tokenUserIdNotString('viewerToken')],
    ['tokenNotAppToken', build.tokenNotAppToken('viewerToken', 'management')],
    ['tokenExpired', build.tokenExpired('viewerToken', when)],
    ['tokenNotYetValid', build.tokenNotYetValid('viewerToken', when)],
    ['tokenExpiring', build.tokenExpiring('viewerToken', when)],
    ['tokenSdkDecodeHazard', build.tokenSdkDecodeHazard('viewerToken')],
    ['tokenShared', build.tokenShared('viewerToken', 2)],
    ['roomCodeMalformed', build.roomCodeMalformed('viewerRoomCode')],
    ['roomCodeMalformed (token in a room code slot)', build.roomCodeMalformed('viewerRoomCode', true)],
    ['viewerSameAsBroadcaster', build.viewerSameAsBroadcaster('viewerToken', 'broadcasterToken')],
    ['viewerRoleIsBroadcaster', build.viewerRoleIsBroadcaster('viewerToken', 'host')],
    ['viewerRoomMismatch', build.viewerRoomMismatch('viewerToken')],
    ['viewerMissing', build.viewerMissing(false)],
    ['viewerMissing (live)', build.viewerMissing(true)],
    ['fallbackExposesBroadcaster', build.fallbackExposesBroadcaster(['broadcasterToken'])],
  ])('builds %s as one sentence', (_name, finding) => {
    expect(Object.values(FindingCode)).toContain(finding.code)
    expect(finding.message).toMatch(/^[A-Z][^\n]*\.$/)
    expect(finding.message.replace(/\d\.\d|\.\d{3}Z/g, '').split(/\.\s/)).toHaveLength(1)
  })
})
