import { CREDENTIAL_FIELDS, maskSecret, redactSecrets, type CredentialField } from '@hms-admin/core'
import { parseCsv, type CsvRecord } from './csv-records.js'
import { jsonElementLines } from './json-element-lines.js'

/** One value to import: the influencer as written (id, handle or name), the slot, the value, its line. */
export interface ImportRow {
  line: number
  influencer: string
  field: CredentialField
  value: string
}

/** A problem with the file, named by line; never holds a value. */
export interface ImportProblem {
  line: number
  message: string
}

/** Parsed rows (empty values already dropped: an empty cell leaves its slot unchanged) and problems. */
export interface ParsedImport {
  format: 'csv-long' | 'csv-wide' | 'json'
  rows: ImportRow[]
  problems: ImportProblem[]
}

const SNAKE: Record<string, CredentialField> = {
  broadcaster_token: 'broadcasterToken',
  broadcaster_room_code: 'broadcasterRoomCode',
  viewer_token: 'viewerToken',
  viewer_room_code: 'viewerRoomCode',
}

/** The field a column or `field` value names (snake_case as in the wide header, or camelCase), or null. */
export function fieldNamed(name: string): CredentialField | null {
  const n = name.trim()
  return SNAKE[n.toLowerCase()] ?? CREDENTIAL_FIELDS.find((f) => f === n) ?? null
}

/** Text typed into the file, safe to echo: a token or room code in the wrong column is masked. */
export function echoCell(text: string): string {
  const t = text.trim()
  return t.length > 40 ? maskSecret(t) : redactSecrets(t)
}

/** Parses an import file: JSON when it starts with [ or {, else CSV (long or wide form, by header). */
export function parseImport(text: string): ParsedImport {
  const body = text.replace(/^\uFEFF/, '')
  if (/^\s*[[{]/.test(body)) return parseJsonImport(body)
  const { records, unterminatedQuoteLine } = parseCsv(body)
  if (unterminatedQuoteLine !== null)
    return {
      format: 'csv-long',
      rows: [],
      problems: [{ line: unterminatedQuoteLine, message: 'a quote (") is misplaced or never closed.' }],
    }
  const [header, ...data] = records
  if (!header) return { format: 'csv-long', rows: [], problems: [{ line: 1, message: 'the file is empty.' }] }
  const names = header.cells.map((c) => c.trim().toLowerCase())
  if (names.join(',') === 'influencer,field,value') return { format: 'csv-long', ...longRows(data) }
  return { format: 'csv-wide', ...wideRows(header, data) }
}

function longRows(data: CsvRecord[]): Omit<ParsedImport, 'format'> {
  const rows: ImportRow[] = []
  const problems: ImportProblem[] = []
  for (const { line, cells } of data) {
    if (cells.length !== 3) {
      problems.push({ line, message: `expected 3 cells (influencer,field,value), found ${cells.length}.` })
      continue
    }
    const [influencer, fieldName, value] = cells as [string, string, string]
    pushRow({ line, influencer, fieldName, value }, rows, problems)
  }
  return { rows, problems }
}

function wideRows(header: CsvRecord, data: CsvRecord[]): Omit<ParsedImport, 'format'> {
  const problems: ImportProblem[] = []
  const columns = header.cells.map((c) => c.trim())
  if (columns[0]?.toLowerCase() !== 'influencer')
    problems.push({
      line: header.line,
      message:
        'the header must be influencer,field,value or influencer,broadcaster_token,broadcaster_room_code,viewer_token,viewer_room_code.',
    })
  const fields = columns.slice(1).map(fieldNamed)
  columns.slice(1).forEach((name, i) => {
    if (fields[i] === null) problems.push({ line: header.line, message: `unknown field "${echoCell(name)}".` })
    else if (fields.indexOf(fields[i]!) !== i)
      problems.push({ line: header.line, message: `the column ${name} appears twice.` })
  })
  if (problems.length > 0) return { rows: [], problems }
  const rows: ImportRow[] = []
  for (const { line, cells } of data) {
    if (cells.length !== columns.length) {
      problems.push({ line, message: `expected ${columns.length} cells like the header, found ${cells.length}.` })
      continue
    }
    const influencer = cells[0]!
    for (const [i, field] of fields.entries())
      pushRow({ line, influencer, fieldName: field!, value: cells[i + 1]! }, rows, problems)
  }
  return { rows, problems }
}

function pushRow(
  cell: { line: number; influencer: string; fieldName: string; value: unknown },
  rows: ImportRow[],
  problems: ImportProblem[],
): void {
  const { line } = cell
  const influencer = cell.influencer.trim()
  const field = fieldNamed(cell.fieldName)
  if (!influencer) problems.push({ line, message: 'the influencer is empty.' })
  else if (field === null) problems.push({ line, message: `unknown field "${echoCell(cell.fieldName)}".` })
  else if (cell.value !== null && cell.value !== undefined && typeof cell.value !== 'string')
    problems.push({ line, message: `the value of ${cell.fieldName} must be a string.` })
  else if (typeof cell.value === 'string' && cell.value.trim() !== '')
    rows.push({ line, influencer, field, value: cell.value.trim() })
}

const SHAPE =
  'the JSON must be an array of rows ({"influencer","field","value"} or {"influencer","viewer_token",…}) or an object of influencers ({"alice":{"viewer_token":…}}).'

function parseJsonImport(text: string): ParsedImport {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return { format: 'json', rows: [], problems: [{ line: 1, message: 'the file is not valid JSON.' }] }
  }
  const lines = jsonElementLines(text)
  const rows: ImportRow[] = []
  const problems: ImportProblem[] = []
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
  const entries: [string | null, unknown][] = Array.isArray(data)
    ? data.map((item) => [null, item])
    : isObject(data)
      ? Object.entries(data)
      : []
  if (!Array.isArray(data) && !isObject(data)) return { format: 'json', rows, problems: [{ line: 1, message: SHAPE }] }
  for (const [i, [key, item]] of entries.entries()) jsonItemRows(key, item, lines[i] ?? 1, rows, problems)
  return { format: 'json', rows, problems }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function jsonItemRows(
  key: string | null,
  item: unknown,
  line: number,
  rows: ImportRow[],
  problems: ImportProblem[],
): void {
  if (!isObject(item)) {
    problems.push({ line, message: SHAPE })
    return
  }
  if (key === null && typeof item.influencer !== 'string') {
    problems.push({ line, message: 'the row has no "influencer" string.' })
    return
  }
  const influencer = key ?? (item.influencer as string)
  if (key === null && 'field' in item) {
    const extra = Object.keys(item).filter((k) => !['influencer', 'field', 'value'].includes(k))
    if (extra.length > 0 || typeof item.field !== 'string') problems.push({ line, message: SHAPE })
    else pushRow({ line, influencer, fieldName: item.field, value: item.value }, rows, problems)
    return
  }
  for (const [name, value] of Object.entries(item))
    if (!(key === null && name === 'influencer')) pushRow({ line, influencer, fieldName: name, value }, rows, problems)
}
