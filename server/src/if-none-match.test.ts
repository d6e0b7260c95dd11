import { describe, expect, it } from 'vitest'
import { ifNoneMatchMatches } from './if-none-match.js'

describe('ifNoneMatchMatches', () => {
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc" , "y"', true],
    ['*', true],
    [' * ', true],
    ['"abcd"', false],
    ['abc', false],
    ['"x", "y"', false],
    ['', false],
    ['W/', false],
    ['"a,bc"', false],
  ] as const)('%j against "abc" is %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, '"abc"')).toBe(expected)
  })

  it('matches nothing without the header', () => {
    expect(ifNoneMatchMatches(undefined, '"abc"')).toBe(false)
  })
})
