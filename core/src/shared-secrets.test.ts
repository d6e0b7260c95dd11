import { describe, expect, it } from 'vitest'
import { emptyCredentials } from './credentials-input.js'
import { findSharedSecrets } from './shared-secrets.js'
import type { Credentials } from './types.js'

const entry = (influencerId: string, credentials: Partial<Credentials>) => ({
  influencerId,
  credentials: { ...emptyCredentials(), ...credentials },
})

describe('findSharedSecrets', () => {
  it('reports every influencer holding the same token, with how many others hold it', () => {
    const result = findSharedSecrets([
      entry('a', { viewerToken: 'HMS_same' }),
      entry('b', { viewerToken: 'HMS_same' }),
      entry('c', { viewerToken: 'HMS_other' }),
    ])
    expect([...result.keys()]).toEqual(['a', 'b'])
    expect(result.get('a')).toEqual([{ field: 'viewerToken', sharedWithCount: 1 }])
  })

  it.each([
    [
      'a room code shared between two influencers',
      [entry('a', { viewerRoomCode: 'abc-defg-hij' }), entry('b', { viewerRoomCode: 'abc-defg-hij' })],
      { a: ['viewerRoomCode:1'], b: ['viewerRoomCode:1'] },
    ],
    [
      'the same secret in different slots of two influencers',
      [entry('a', { broadcasterToken: 'HMS_x' }), entry('b', { viewerToken: 'HMS_x' })],
      { a: ['broadcasterToken:1'], b: ['viewerToken:1'] },
    ],
    [
      'a secret held by three influencers',
      [
        entry('a', { viewerToken: 'HMS_x' }),
        entry('b', { viewerToken: 'HMS_x' }),
        entry('c', { viewerToken: ' HMS_x ' }),
      ],
      { a: ['viewerToken:2'], b: ['viewerToken:2'], c: ['viewerToken:2'] },
    ],
    [
      'the same value in two slots of one influencer (that is viewer.same_as_broadcaster instead)',
      [entry('a', { viewerToken: 'HMS_x', broadcasterToken: 'HMS_x' })],
      {},
    ],
    ['no shared values', [entry('a', { viewerToken: 'HMS_x' }), entry('b', { viewerToken: 'HMS_y' })], {}],
    ['blank values', [entry('a', { viewerToken: '' }), entry('b', { viewerToken: '' })], {}],
  ])('handles %s', (_name, entries, expected) => {
    const result = findSharedSecrets(entries)
    const summary = Object.fromEntries(
      [...result].map(([id, facts]) => [id, facts.map((f) => `${f.field}:${f.sharedWithCount}`)]),
    )
    expect(summary).toEqual(expected)
  })

  it('accepts any iterable, such as a generator', () => {
    function* entries() {
      yield entry('a', { viewerToken: 'HMS_x' })
      yield entry('b', { viewerToken: 'HMS_x' })
    }
    expect(findSharedSecrets(entries()).size).toBe(2)
  })
})
