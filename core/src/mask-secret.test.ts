import { describe, expect, it } from 'vitest'
import { mintToken } from '../../test-support/tokens.js'
import { maskSecret } from './mask-secret.js'

const visibleCharacters = (masked: string): number => masked.replace('…', '').length

describe('maskSecret', () => {
  it('masks a long token as its first 6 and last 4 characters', async () => {
    const token = await mintToken()
    expect(maskSecret(token)).toBe(`${token.slice(0, 6)}…${token.slice(-4)}`)
    expect(maskSecret(token)).toMatch(/^eyJhbG…/)
  })

  it.each([
    ['a 3-4-3 room code', 'abc-defg-hij', 'ab…j'],
    ['a 3-3-3 room code', 'eiu-qwq-sdf', 'ei…'],
    ['a short HMS_ token', 'HMS_12345678', 'HM…8'],
    ['a 40-character value', `${'a'.repeat(36)}wxyz`, 'aaaaaa…wxyz'],
    ['a 4-character value', 'abcd', 'a…'],
    ['a 3-character value', 'abc', '…'],
    ['a single character', 'x', '…'],
    ['an empty value', '', ''],
    ['a padded room code', '  abc-defg-hij\n', 'ab…j'],
  ])('masks %s', (_name, value, expected) => {
    expect(maskSecret(value)).toBe(expected)
  })

  it.each([1, 2, 3, 4, 7, 8, 11, 12, 13, 16, 20, 24, 39, 40, 41, 100, 500])(
    'never shows more than a quarter of a %i-character secret, and never the whole of it',
    (length) => {
      const secret = Array.from({ length }, (_, index) => String.fromCharCode(97 + ((index * 7) % 26))).join('')
      const masked = maskSecret(secret)
      expect(visibleCharacters(masked)).toBeLessThanOrEqual(Math.floor(length / 4))
      expect(masked).not.toContain(secret)
    },
  )
})
