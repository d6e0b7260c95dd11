/** One CSV record: its cells and the line it starts on (1-based). */
export interface CsvRecord {
  line: number
  cells: string[]
}

// One cell and what ends it: a quoted cell ("" escapes a quote) or a plain one, then , or a line end.
const CELL = /(?:"((?:[^"]|"")*)"|([^,\r\n"]*))(,|\r\n|\n|\r|$)/y
const NEWLINES = /\r\n|\n|\r/g

/**
 * Parses CSV text (RFC 4180): quoted cells with commas, quotes ("") and line breaks, CRLF or LF
 * line ends; blank lines are skipped. A stray or unterminated quote is reported by its line.
 */
export function parseCsv(text: string): { records: CsvRecord[]; unterminatedQuoteLine: number | null } {
  const records: CsvRecord[] = []
  let cells: string[] = []
  let line = 1
  let start = 1
  CELL.lastIndex = 0
  while (CELL.lastIndex <= text.length) {
    const at = CELL.lastIndex
    const m = CELL.exec(text)
    if (!m || (m[0] === '' && at < text.length)) return { records, unterminatedQuoteLine: line }
    const quoted = m[1]
    if (quoted !== undefined) {
      cells.push(quoted.replaceAll('""', '"'))
      line += quoted.match(NEWLINES)?.length ?? 0
    } else cells.push(m[2]!)
    if (m[3] === ',') continue
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells })
    cells = []
    line++
    start = line
    if (m[3] === '') break
  }
  return { records, unterminatedQuoteLine: null }
}
