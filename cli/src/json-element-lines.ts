/**
 * The line (1-based) where each top-level element of a JSON array, or each top-level key of a
 * JSON object, starts: error messages name rows by line. Assumes `text` is valid JSON.
 */
export function jsonElementLines(text: string): number[] {
  const lines: number[] = []
  let line = 1
  let depth = 0
  let inString = false
  let expecting = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '\n') line++
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
      continue
    }
    if (/\s/.test(ch)) continue
    if (depth === 1 && expecting && ch !== ']' && ch !== '}') {
      lines.push(line)
      expecting = false
    }
    if (ch === '"') inString = true
    else if (ch === '[' || ch === '{') {
      depth++
      if (depth === 1) expecting = true
    } else if (ch === ']' || ch === '}') depth--
    else if (ch === ',' && depth === 1) expecting = true
  }
  return lines
}
