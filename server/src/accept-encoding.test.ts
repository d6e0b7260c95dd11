import { describe, expect, it } from 'vitest'
import { type ContentCoding, negotiateEncoding } from './accept-encoding.js'

const ALL: ContentCoding[] = ['br', 'gzip', 'identity']

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['br, gzip', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0.2, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['gzip;q=0.001', 'gzip'],
    ['br ; q=0.5 , gzip ; q=0.5', 'br'],
    ['*', 'br'],
    ['*;q=0.5, gzip', 'gzip'],
    ['identity', 'identity'],
    ['identity;q=1, br;q=0.9', 'identity'],
    ['compress, deflate', 'identity'],
    ['zstd, snappy;q=0.9', 'identity'],
    ['br;q=2', 'identity'],
    ['br;q=abc, gzip;q=0.5', 'gzip'],
    ['br;q=0.5555', 'identity'],
    [';;,,', 'identity'],
    ['br, br;q=0', 'br'],
  ] as const)('%j chooses %s', (header, expected) => {
    expect(negotiateEncoding(header, ALL)).toBe(expected)
  })

  it.each([
    ['identity;q=0', null],
    ['*;q=0', null],
    ['compress, identity;q=0', null],
    ['gzip, identity;q=0', 'gzip'],
    ['*;q=0, identity', 'identity'],
  ] as const)('%j with every coding refused but the unavailable ones chooses %s', (header, expected) => {
    expect(negotiateEncoding(header, header.startsWith('gzip') ? ['gzip', 'identity'] : ['identity'])).toBe(expected)
  })

  it('falls back to what is available when the preferred coding is missing', () => {
    expect(negotiateEncoding('br, gzip', ['gzip', 'identity'])).toBe('gzip')
    expect(negotiateEncoding('br, gzip', ['identity'])).toBe('identity')
    expect(negotiateEncoding('br', ['gzip', 'identity'])).toBe('identity')
  })
})
