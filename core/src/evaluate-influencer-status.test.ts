import { beforeAll, describe, expect, it } from 'vitest'
import { mintBroadcasterToken, mintToken } from '../../test-support/tokens.js'
import { emptyCredentials } from './credentials-input.js'
import { evaluateInfluencer } from './evaluate-influencer.js'
import type { AccessStatus, Credentials, PolicyOptions } from './types.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const nowSeconds = NOW.getTime() / 1000
const t = {} as Record<'viewer' | 'viewerExpired' | 'broadcaster', string>

beforeAll(async () => {
  t.viewer = await mintToken({ exp: nowSeconds + 30 * 86_400 }, { now: NOW })
  t.viewerExpired = await mintToken({ exp: nowSeconds - 1 }, { now: NOW })
  t.broadcaster = await mintBroadcasterToken({}, { now: NOW })
})

const on = { allowBroadcasterFallback: true }
const rows: [string, () => Partial<Credentials>, PolicyOptions, AccessStatus][] = [
  [
    'ready with a usable viewer token and viewer room code',
    () => ({ viewerToken: t.viewer, viewerRoomCode: 'vwr-abcd-xyz' }),
    {},
    'ready',
  ],
  [
    'ready with usable viewer credentials, whatever the fallback',
    () => ({ viewerToken: t.viewer, viewerRoomCode: 'vwr-abcd-xyz', broadcasterToken: t.broadcaster }),
    on,
    'ready',
  ],
  [
    'ready while the viewer token only has warnings',
    () => ({ viewerToken: t.viewer, viewerRoomCode: 'vwr-abc-xyz' }),
    { expiringWithinMs: 60 * 86_400_000 },
    'ready',
  ],
  ['limited with only a viewer token', () => ({ viewerToken: t.viewer }), {}, 'limited'],
  ['limited with only a viewer room code', () => ({ viewerRoomCode: 'vwr-abcd-xyz' }), {}, 'limited'],
  [
    'limited when the viewer token is expired but the room code is usable',
    () => ({ viewerToken: t.viewerExpired, viewerRoomCode: 'vwr-abcd-xyz' }),
    {},
    'limited',
  ],
  [
    'limited when viewers only get in through the broadcaster fallback',
    () => ({ broadcasterToken: t.broadcaster, broadcasterRoomCode: 'brd-abcd-xyz' }),
    on,
    'limited',
  ],
  ['not_configured when nothing is stored', () => ({}), {}, 'not_configured'],
  [
    'not_configured with only broadcaster credentials and the fallback off',
    () => ({ broadcasterToken: t.broadcaster, broadcasterRoomCode: 'brd-abcd-xyz' }),
    {},
    'not_configured',
  ],
  [
    'not_configured when every viewer credential is unusable',
    () => ({ viewerToken: t.viewerExpired, viewerRoomCode: 'nope' }),
    {},
    'not_configured',
  ],
  [
    'not_configured when the viewer token is the broadcaster token',
    () => ({ viewerToken: t.broadcaster, broadcasterToken: t.broadcaster }),
    {},
    'not_configured',
  ],
]

describe('the access status of evaluateInfluencer', () => {
  it.each(rows)('is %s', (_name, credentials, options, expected) => {
    expect(
      evaluateInfluencer({ credentials: { ...emptyCredentials(), ...credentials() }, now: NOW, ...options }).status,
    ).toBe(expected)
  })
})
