import { describe, expect, it } from 'vitest'
import { displayWidth, table } from '../src/output.js'

const sink = (isTTY: boolean) => {
  const s = {
    text: '',
    isTTY,
    write(t: string) {
      s.text += t
    },
  }
  return s
}

describe('table', () => {
  it('writes tab-separated rows without a header off a terminal, as they come', () => {
    const out = sink(false)
    const t = table(out, ['A', 'B'])
    t.row(['@ann', 'Ann'])
    expect(out.text).toBe('@ann\tAnn\n')
    t.row(['@bo', 'Bo'])
    t.end()
    expect(out.text).toBe('@ann\tAnn\n@bo\tBo\n')
    expect(t.count).toBe(2)
  })

  it('aligns columns under a header on a terminal, counting emoji as two columns', () => {
    const out = sink(true)
    const t = table(out, ['HANDLE', 'ACCESS', 'NOTE'])
    t.row(['@a', '✅ Ready', 'x'])
    t.row(['@longer', '⚠️ Limited', 'y'])
    expect(out.text).toBe('')
    t.end()
    const lines = out.text.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    const noteColumn = lines.map((l) => displayWidth(l.slice(0, l.lastIndexOf(' ') + 1)))
    expect(new Set(noteColumn).size).toBe(1)
    expect(lines[0]).toMatch(/^HANDLE {3}ACCESS/)
  })

  it('prints nothing for an empty table on a terminal', () => {
    const out = sink(true)
    const t = table(out, ['A'])
    t.end()
    expect(out.text).toBe('')
    expect(t.count).toBe(0)
  })
})

describe('displayWidth', () => {
  it.each([
    ['abc', 3],
    ['✅', 2],
    ['⚠️', 2],
    ['❌ No', 5],
    ['Renée', 5],
    ['e\u0301', 1],
    ['日本', 4],
    ['', 0],
  ])('%j takes %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width)
  })
})
