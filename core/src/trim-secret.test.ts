import { describe, expect, it } from 'vitest'
import { TRIMMED_CHARACTERS, trimSecret } from './trim-secret.js'

describe('trimSecret', () => {
  it('removes the ASCII white space String.prototype.trim removes, and only that', () => {
    const ascii: string[] = []
    for (let code = 0; code < 0x80; code++) {
      const c = String.fromCharCode(code)
      if (`${c}x${c}`.trim() === 'x') ascii.push(c)
    }
    expect([...TRIMMED_CHARACTERS].sort()).toEqual(ascii.sort())
  })

  it('trims a pasted value at both ends and leaves the inside and other spaces alone', () => {
    expect(trimSecret(' \t\v HMS_a b\f\r\n')).toBe('HMS_a b')
    expect(trimSecret('\u00a0HMS_a\u3000')).toBe('\u00a0HMS_a\u3000')
    expect(trimSecret(' \n ')).toBe('')
  })
})
