import { beforeAll, describe, expect, it } from 'vitest'
import { mintBroadcasterToken, mintToken } from '../../test-support/tokens.js'
import { emptyCredentials } from './credentials-input.js'
import { evaluateInfluencer, type InfluencerFacts } from './evaluate-influencer.js'
import type { Credentials, PolicyOptions, ViewerResolution } from './types.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const DAY = 86_400
const nowSeconds = NOW.getTime() / 1000
const VIEWER_EXP = nowSeconds + 30 * DAY
const BROADCASTER_EXP = nowSeconds + 20 * DAY

const t = {} as Record<
  'viewer' | 'viewerExpired' | 'viewerExpiring' | 'viewerHost' | 'broadcaster' | 'broadcasterExpired',
  string
>
const VIEWER_CODE = 'vwr-abcd-xyz'
const BROADCASTER_CODE = 'brd-abcd-xyz'

beforeAll(async () => {
  const now = { now: NOW }
  t.viewer = await mintToken({ exp: VIEWER_EXP }, now)
  t.viewerExpired = await mintToken({ exp: nowSeconds - 60 }, now)
  t.viewerExpiring = await mintToken({ exp: nowSeconds + 3600 }, now)
  t.viewerHost = await mintToken({ role: 'broadcaster', exp: VIEWER_EXP }, now)
  t.broadcaster = await mintBroadcasterToken({ exp: BROADCASTER_EXP }, now)
  t.broadcasterExpired = await mintBroadcasterToken({ exp: nowSeconds - 60 }, now)
})

type Row = [
  name: string,
  credentials: () => Partial<Credentials>,
  options: PolicyOptions,
  expected: () => ViewerResolution,
]
const on = { allowBroadcasterFallback: true }
const off = { allowBroadcasterFallback: false }
const at = (seconds: number) => new Date(seconds * 1000)

const rows: Row[] = [
  [
    'returns the viewer token and room code together when both are usable',
    () => ({ viewerToken: t.viewer, viewerRoomCode: VIEWER_CODE, broadcasterToken: t.broadcaster }),
    off,
    () => ({
      ok: true,
      source: 'viewer',
      authToken: t.viewer,
      authTokenSource: 'viewer',
      roomCode: VIEWER_CODE,
      roomCodeSource: 'viewer',
      expiresAt: at(VIEWER_EXP),
    }),
  ],
  [
    'returns only the viewer token when it is the only viewer credential',
    () => ({ viewerToken: t.viewer }),
    off,
    () => ({ ok: true, source: 'viewer', authToken: t.viewer, authTokenSource: 'viewer', expiresAt: at(VIEWER_EXP) }),
  ],
  [
    'returns only the viewer room code, with no expiry, when it is the only viewer credential',
    () => ({ viewerRoomCode: VIEWER_CODE }),
    off,
    () => ({ ok: true, source: 'viewer', roomCode: VIEWER_CODE, roomCodeSource: 'viewer' }),
  ],
  [
    'skips an expired viewer token and returns the viewer room code',
    () => ({ viewerToken: t.viewerExpired, viewerRoomCode: VIEWER_CODE }),
    off,
    () => ({ ok: true, source: 'viewer', roomCode: VIEWER_CODE, roomCodeSource: 'viewer' }),
  ],
  [
    'skips a malformed viewer room code and returns the viewer token',
    () => ({ viewerToken: t.viewer, viewerRoomCode: 'NOT-A-CODE' }),
    off,
    () => ({ ok: true, source: 'viewer', authToken: t.viewer, authTokenSource: 'viewer', expiresAt: at(VIEWER_EXP) }),
  ],
  [
    'returns a viewer token that only has warnings (expiring soon)',
    () => ({ viewerToken: t.viewerExpiring }),
    off,
    () => ({
      ok: true,
      source: 'viewer',
      authToken: t.viewerExpiring,
      authTokenSource: 'viewer',
      expiresAt: at(nowSeconds + 3600),
    }),
  ],
  [
    'returns an HMS_ viewer token without an expiry',
    () => ({ viewerToken: 'HMS_viewer0123456789' }),
    off,
    () => ({ ok: true, source: 'viewer', authToken: 'HMS_viewer0123456789', authTokenSource: 'viewer' }),
  ],
  [
    'prefers usable viewer credentials even with the fallback on',
    () => ({ viewerRoomCode: VIEWER_CODE, broadcasterToken: t.broadcaster, broadcasterRoomCode: BROADCASTER_CODE }),
    on,
    () => ({ ok: true, source: 'viewer', roomCode: VIEWER_CODE, roomCodeSource: 'viewer' }),
  ],
  [
    'never hands out broadcaster credentials with the fallback off',
    () => ({ broadcasterToken: t.broadcaster, broadcasterRoomCode: BROADCASTER_CODE }),
    off,
    () => ({ ok: false, error: 'viewer_access_not_configured' }),
  ],
  [
    'never hands out broadcaster credentials by default',
    () => ({ broadcasterToken: t.broadcaster, broadcasterRoomCode: BROADCASTER_CODE }),
    {},
    () => ({ ok: false, error: 'viewer_access_not_configured' }),
  ],
  [
    'falls back to the broadcaster token and room code with the fallback on',
    () => ({ broadcasterToken: t.broadcaster, broadcasterRoomCode: BROADCASTER_CODE }),
    on,
    () => ({
      ok: true,
      source: 'broadcaster',
      authToken: t.broadcaster,
      authTokenSource: 'broadcaster',
      roomCode: BROADCASTER_CODE,
      roomCodeSource: 'broadcaster',
      expiresAt: at(BROADCASTER_EXP),
    }),
  ],
  [
    'falls back to the broadcaster room code alone when the broadcaster token is expired',
    () => ({ broadcasterToken: t.broadcasterExpired, broadcasterRoomCode: BROADCASTER_CODE }),
    on,
    () => ({ ok: true, source: 'broadcaster', roomCode: BROADCASTER_CODE, roomCodeSource: 'broadcaster' }),
  ],
  [
    'falls back to broadcaster credentials when the stored viewer ones are unusable',
    () => ({ viewerToken: t.viewerExpired, broadcasterToken: t.broadcaster }),
    on,
    () => ({
      ok: true,
      source: 'broadcaster',
      authToken: t.broadcaster,
      authTokenSource: 'broadcaster',
      expiresAt: at(BROADCASTER_EXP),
    }),
  ],
  [
    'answers viewer_token_invalid when the stored viewer token is unusable and the fallback is off',
    () => ({ viewerToken: t.viewerExpired, broadcasterToken: t.broadcaster }),
    off,
    () => ({ ok: false, error: 'viewer_token_invalid' }),
  ],
  [
    'answers viewer_token_invalid when a stored viewer room code is unusable',
    () => ({ viewerRoomCode: 'abc_defg_hij' }),
    off,
    () => ({ ok: false, error: 'viewer_token_invalid' }),
  ],
  [
    'answers viewer_token_invalid when every stored credential is unusable with the fallback on',
    () => ({ viewerToken: t.viewerExpired, broadcasterToken: t.broadcasterExpired }),
    on,
    () => ({ ok: false, error: 'viewer_token_invalid' }),
  ],
  [
    'answers viewer_token_invalid when only an unusable broadcaster token could serve viewers',
    () => ({ broadcasterToken: t.broadcasterExpired }),
    on,
    () => ({ ok: false, error: 'viewer_token_invalid' }),
  ],
  [
    'answers viewer_access_not_configured when only an unusable broadcaster token is stored and the fallback is off',
    () => ({ broadcasterToken: t.broadcasterExpired }),
    off,
    () => ({ ok: false, error: 'viewer_access_not_configured' }),
  ],
  [
    'answers viewer_access_not_configured when nothing is stored',
    () => ({}),
    off,
    () => ({ ok: false, error: 'viewer_access_not_configured' }),
  ],
  [
    'answers viewer_access_not_configured when nothing is stored, even with the fallback on',
    () => ({}),
    on,
    () => ({ ok: false, error: 'viewer_access_not_configured' }),
  ],
  [
    'treats a viewer token equal to the broadcaster token as unusable',
    () => ({ viewerToken: t.broadcaster, broadcasterToken: t.broadcaster }),
    off,
    () => ({ ok: false, error: 'viewer_token_invalid' }),
  ],
  [
    'treats a viewer room code equal to the broadcaster room code as unusable',
    () => ({ viewerToken: t.viewer, viewerRoomCode: BROADCASTER_CODE, broadcasterRoomCode: BROADCASTER_CODE }),
    off,
    () => ({ ok: true, source: 'viewer', authToken: t.viewer, authTokenSource: 'viewer', expiresAt: at(VIEWER_EXP) }),
  ],
  [
    'treats a viewer token carrying the broadcaster role as unusable',
    () => ({ viewerToken: t.viewerHost, viewerRoomCode: VIEWER_CODE, broadcasterToken: t.broadcaster }),
    off,
    () => ({ ok: true, source: 'viewer', roomCode: VIEWER_CODE, roomCodeSource: 'viewer' }),
  ],
  [
    'treats blank values as absent',
    () => ({ viewerToken: '   ', viewerRoomCode: '' }),
    off,
    () => ({ ok: false, error: 'viewer_access_not_configured' }),
  ],
  [
    'returns trimmed values',
    () => ({ viewerRoomCode: `  ${VIEWER_CODE}\n` }),
    off,
    () => ({ ok: true, source: 'viewer', roomCode: VIEWER_CODE, roomCodeSource: 'viewer' }),
  ],
]

const resolveViewerCredentials = (
  credentials: Credentials,
  options: PolicyOptions & Pick<InfluencerFacts, 'sharedSecrets'>,
) => evaluateInfluencer({ credentials, ...options }).resolution

describe('the viewer resolution of evaluateInfluencer', () => {
  it.each(rows)('%s', (_name, credentials, options, expected) => {
    const resolution = resolveViewerCredentials({ ...emptyCredentials(), ...credentials() }, { now: NOW, ...options })
    expect(resolution).toStrictEqual(expected())
  })

  it('treats a secret shared with another influencer as unusable', () => {
    const resolution = resolveViewerCredentials(
      { ...emptyCredentials(), viewerToken: t.viewer, viewerRoomCode: VIEWER_CODE },
      {
        now: NOW,
        sharedSecrets: [{ field: 'viewerToken', sharedWithCount: 1 }],
      },
    )
    expect(resolution).toStrictEqual({ ok: true, source: 'viewer', roomCode: VIEWER_CODE, roomCodeSource: 'viewer' })
  })

  it('uses the clock it is given to decide whether a token is still usable', () => {
    const credentials = { ...emptyCredentials(), viewerToken: t.viewer }
    expect(resolveViewerCredentials(credentials, { now: NOW }).ok).toBe(true)
    expect(resolveViewerCredentials(credentials, { now: at(VIEWER_EXP) })).toEqual({
      ok: false,
      error: 'viewer_token_invalid',
    })
  })
})
