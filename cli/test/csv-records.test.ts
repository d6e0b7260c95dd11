import { describe, expect, it } from 'vitest'
import { parseCsv } from '../src/csv-records.js'

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes, CRLF and blank lines, with the line each record starts on', () => {
    expect(parseCsv('a,b\r\n"x, y","q""r"\r\n\r\nlast\r\n')).toEqual({
      records: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['x, y', 'q"r'] },
        { line: 4, cells: ['last'] },
      ],
      unterminatedQuoteLine: null,
    })
  })

  it('keeps line breaks inside quotes and counts them, and a trailing empty cell', () => {
    expect(parseCsv('a,b\n"multi\nline",z\nend,').records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['multi\nline', 'z'] },
      { line: 4, cells: ['end', ''] },
    ])
  })

  it.each([
    ['an unterminated quote', 'a,b\nc,"open\n', 2],
    ['a quote inside a plain cell', 'a,b"c\n', 1],
  ])('reports %s by line', (_name, text, line) => {
    expect(parseCsv(text).unterminatedQuoteLine).toBe(line)
  })
})
