import { describe, expect, it } from 'vitest'
import { DEFAULT_EXPIRING_WITHIN_MS, parseDuration } from './parse-duration.js'

describe('parseDuration', () => {
  it.each([
    ['7d', 7 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['30m', 30 * 60_000],
    ['45s', 45_000],
    ['2w', 14 * 86_400_000],
    ['0d', 0],
    [' 3D ', 3 * 86_400_000],
    ['1 h', 3_600_000],
    ['100y', 100 * 365 * 86_400_000],
  ])('parses %j into milliseconds', (text, expected) => {
    expect(parseDuration(text)).toBe(expected)
  })

  it.each(['', '7', 'd', '-1d', '1.5h', '7days', '7yr', '1e3s', '99999999999999999w'])(
    'returns null for %j',
    (text) => {
      expect(parseDuration(text)).toBeNull()
    },
  )

  it('defaults the expiry window to 7 days', () => {
    expect(DEFAULT_EXPIRING_WITHIN_MS).toBe(parseDuration('7d'))
  })
})
