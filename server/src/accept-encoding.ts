/** A content coding the widget files are stored in (`identity` is the file itself). */
export type ContentCoding = 'br' | 'gzip' | 'identity'

/** Our preference among codings the client rates equally: smallest first. */
const PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity']

// Identity is acceptable when not named, but any coding the client names explicitly comes first.
const IMPLIED_IDENTITY_Q = 0.0001

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/** The q-value of each coding named in an Accept-Encoding header; elements with a malformed q are ignored. */
function parseAcceptEncoding(header: string): Map<string, number> {
  const ratings = new Map<string, number>()
  for (const element of header.split(',')) {
    const [name = '', ...params] = element.split(';').map((part) => part.trim())
    if (name === '') continue
    let q = 1
    let valid = true
    for (const param of params) {
      const [key = '', value = ''] = param.split('=').map((part) => part.trim())
      if (key.toLowerCase() !== 'q') continue
      if (!QVALUE.test(value)) valid = false
      else q = Number(value)
    }
    const coding = name.toLowerCase() === 'x-gzip' ? 'gzip' : name.toLowerCase()
    // When a coding is listed twice, the first rating counts.
    if (valid && !ratings.has(coding)) ratings.set(coding, q)
  }
  return ratings
}

/**
 * The coding to send among `available` for an Accept-Encoding header (RFC 9110 section 12.5.3):
 * the highest q-value wins, ties go to br, then gzip, then identity. `*` rates every coding not
 * named; identity is acceptable unless refused with `q=0` (by name or through `*`). Unknown codings
 * are ignored. Null when nothing available is acceptable.
 */
export function negotiateEncoding(
  header: string | undefined,
  available: readonly ContentCoding[],
): ContentCoding | null {
  if (header === undefined) return available.includes('identity') ? 'identity' : null
  const ratings = parseAcceptEncoding(header)
  const star = ratings.get('*')
  let best: ContentCoding | null = null
  let bestQ = 0
  for (const coding of PREFERENCE) {
    if (!available.includes(coding)) continue
    const q = ratings.get(coding) ?? star ?? (coding === 'identity' ? IMPLIED_IDENTITY_Q : 0)
    if (q > bestQ) {
      best = coding
      bestQ = q
    }
  }
  return best
}
