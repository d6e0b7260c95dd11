import { describe, expect, it } from 'vitest'
import { tokenClaims } from './token-claims.js'

describe('tokenClaims', () => {
  it('keeps the non-secret claims, times as dates', () => {
    expect(
      tokenClaims({
        role: 'viewer',
        room_id: 'room-1',
        user_id: 'u1',
        type: 'app',
        iat: 1_700_000_000,
        nbf: 1_700_000_000,
        exp: 1_700_086_400,
        access_key: 'key',
        jti: 'j',
      }),
    ).toEqual({
      role: 'viewer',
      room_id: 'room-1',
      user_id: 'u1',
      type: 'app',
      iat: new Date('2023-11-14T22:13:20Z'),
      nbf: new Date('2023-11-14T22:13:20Z'),
      exp: new Date('2023-11-15T22:13:20Z'),
    })
  })

  it('gives null for absent or ill-typed claims and never throws', () => {
    expect(tokenClaims({ user_id: 42, role: {}, type: '', exp: 'soon', iat: Number.NaN, nbf: 1e20 })).toEqual({
      role: null,
      room_id: null,
      user_id: '42',
      type: null,
      iat: null,
      nbf: null,
      exp: null,
    })
  })
})
