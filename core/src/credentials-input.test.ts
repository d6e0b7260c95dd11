import { describe, expect, it } from 'vitest'
import { emptyCredentials, parseCredentials } from './credentials-input.js'

describe('parseCredentials', () => {
  it('trims values and turns empty or missing ones into null', () => {
    expect(
      parseCredentials({
        broadcasterToken: '  HMS_a  ',
        broadcasterRoomCode: '',
        viewerToken: null,
        viewerRoomCode: ' \n ',
      }),
    ).toEqual({ ok: true, credentials: emptyCredentials() && { ...emptyCredentials(), broadcasterToken: 'HMS_a' } })
  })

  it('accepts an empty object as all credentials absent', () => {
    expect(parseCredentials({})).toEqual({ ok: true, credentials: emptyCredentials() })
  })

  it.each([
    ['a number', { viewerToken: 42 }, 'viewerToken'],
    ['an array', { broadcasterRoomCode: ['abc'] }, 'broadcasterRoomCode'],
  ])('returns an issue instead of throwing when a field is %s', (_name, input, path) => {
    const result = parseCredentials(input)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toEqual([path])
  })

  it.each([null, 'text', 42, []])('returns an issue for the non-object input %j', (input) => {
    expect(parseCredentials(input).ok).toBe(false)
  })

  it('never repeats a rejected value in its issues', () => {
    const result = parseCredentials({ viewerToken: 123456789 })
    expect(JSON.stringify(result)).not.toContain('123456789')
  })
})

describe('emptyCredentials', () => {
  it('returns all four slots absent, as a fresh object each time', () => {
    expect(emptyCredentials()).toEqual({
      broadcasterToken: null,
      broadcasterRoomCode: null,
      viewerToken: null,
      viewerRoomCode: null,
    })
    expect(emptyCredentials()).not.toBe(emptyCredentials())
  })
})
