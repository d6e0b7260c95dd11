import { describe, expect, it } from 'vitest'
import { decodeBase64url, decodeJsonObjectSegment, isBase64url } from './decode-base64url.js'

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url')

describe('decodeBase64url', () => {
  it('decodes every length and byte value like Buffer does', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) % 256)
      expect(decodeBase64url(b64url(bytes))).toEqual(bytes)
    }
  })

  it.each(['ab=c', 'a+bc', 'a/bc', 'ab c', 'abcde', 'é123'])('rejects %j', (text) => {
    expect(decodeBase64url(text)).toBeNull()
    expect(isBase64url(text)).toBe(false)
  })
})

describe('decodeJsonObjectSegment', () => {
  it('decodes ASCII and UTF-8 JSON objects, including - and _ in the segment', () => {
    expect(decodeJsonObjectSegment(b64url('{"a":1}'))).toEqual({ a: 1 })
    const name = { user_id: 'Renée ✓ 🙂', x: '??>>~~' }
    const segment = b64url(JSON.stringify(name))
    expect(segment).toMatch(/[-_]/)
    expect(decodeJsonObjectSegment(segment)).toEqual(name)
  })

  it('returns null for invalid UTF-8, non-objects and non-JSON', () => {
    expect(decodeJsonObjectSegment(b64url(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])))).toBeNull()
    expect(decodeJsonObjectSegment(b64url('[1]'))).toBeNull()
    expect(decodeJsonObjectSegment(b64url('null'))).toBeNull()
    expect(decodeJsonObjectSegment(b64url('{"a":'))).toBeNull()
    expect(decodeJsonObjectSegment('e30=')).toBeNull()
  })
})
