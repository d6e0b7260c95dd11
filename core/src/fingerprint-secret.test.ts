import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fingerprintSecret, nobleSha256Hex } from './fingerprint-secret.js'

describe('fingerprintSecret', () => {
  it('is sha256: followed by the first 12 hex characters of the SHA-256 digest', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(fingerprintSecret('abc')).toBe('sha256:ba7816bf8f01')
  })

  it.each(['abc-defg-hij', 'HMS_secret', 'eyJhbGciOiJIUzI1NiJ9.e30.x', 'Renée ✓'])('is stable for %j', (value) => {
    expect(fingerprintSecret(value)).toBe(fingerprintSecret(value))
    expect(fingerprintSecret(value)).toMatch(/^sha256:[0-9a-f]{12}$/)
    expect(fingerprintSecret(value)).not.toContain(value)
  })

  it('ignores surrounding whitespace, as stored values are trimmed', () => {
    expect(fingerprintSecret('  abc\n')).toBe(fingerprintSecret('abc'))
  })

  it('differs for different secrets', () => {
    expect(fingerprintSecret('abc-defg-hij')).not.toBe(fingerprintSecret('abc-defg-hik'))
  })

  it.each(['abc', '', 'Renée ✓', 'eyJhbGciOiJIUzI1NiJ9.e30.x'.repeat(20)])(
    'gives the same fingerprint of %j with an injected SHA-256',
    (value) => {
      const nodeSha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')
      expect(nobleSha256Hex(value)).toBe(nodeSha256Hex(value))
      expect(fingerprintSecret(` ${value} `, nodeSha256Hex)).toBe(fingerprintSecret(value))
    },
  )
})
