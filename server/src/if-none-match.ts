const ENTITY_TAG = /(?:W\/)?("[^"]*")/g

/**
 * Whether an If-None-Match header matches `etag` (RFC 9110 section 13.1.2): `*` matches any
 * existing file; otherwise any entity-tag of the comma-separated list, compared weakly (`W/"x"`
 * matches `"x"`). A header with no well-formed entity-tag matches nothing.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag
  for (const match of header.matchAll(ENTITY_TAG)) if (match[1] === opaque) return true
  return false
}
