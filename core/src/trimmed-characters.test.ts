import { describe, expect, it } from 'vitest'
import { TRIMMED_CHARACTERS } from './trimmed-characters.js'

describe('TRIMMED_CHARACTERS', () => {
  it('holds exactly the characters String.prototype.trim removes (the SQL side trims with it)', () => {
    const trimmed: string[] = []
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code)
      if (`${c}x${c}`.trim() === 'x') trimmed.push(c)
    }
    expect([...TRIMMED_CHARACTERS].sort()).toEqual(trimmed.sort())
  })
})
