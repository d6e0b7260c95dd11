import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { xmlText } from '../src/xml-text.js'

describe('xmlText', () => {
  it('replaces every character XML 1.0 forbids and escapes markup', () => {
    const forbidden = [
      ...Array.from({ length: 9 }, (_, i) => String.fromCharCode(i)),
      '\u000B',
      '\u000C',
      ...Array.from({ length: 18 }, (_, i) => String.fromCharCode(0x0e + i)),
      '\uD800',
      'x',
      '\uDFFF',
      '\uFFFE',
      '\uFFFF',
    ]
    const out = xmlText(`a${forbidden.join('')}<b attr="x">&'z`)
    expect(out).toBe(
      `a${forbidden.map((ch) => (ch === 'x' ? 'x' : '\uFFFD')).join('')}&lt;b attr=&quot;x&quot;&gt;&amp;&apos;z`,
    )
    expect(XMLValidator.validate(`<r a="${out}">${out}</r>`)).toBe(true)
  })

  it('keeps tab, newlines and valid surrogate pairs', () => {
    expect(xmlText('a\tb\nc\rd 😀 é')).toBe('a\tb\nc\rd 😀 é')
  })
})
