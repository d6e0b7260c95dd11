const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]))

/** Returns true when the text uses only the base64url alphabet with a decodable length (no padding). */
export function isBase64url(text: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(text) && text.length % 4 !== 1
}

/** Decodes unpadded base64url into bytes, or returns `null` for invalid input. */
export function decodeBase64url(text: string): Uint8Array | null {
  if (!isBase64url(text)) return null
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8))
  let buffer = 0
  let bits = 0
  let index = 0
  for (const char of text) {
    buffer = (buffer << 6) | VALUES.get(char)!
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[index++] = (buffer >> bits) & 0xff
    }
  }
  return bytes
}

// TextDecoder is global in every runtime core targets but not declared by the ES lib it compiles with.
const { TextDecoder: Utf8Decoder } = globalThis as unknown as {
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string }
}

/** Decodes a base64url segment holding UTF-8 JSON into a plain object, or returns `null`. */
export function decodeJsonObjectSegment(segment: string): Record<string, unknown> | null {
  const bytes = decodeBase64url(segment)
  if (!bytes) return null
  try {
    const value: unknown = JSON.parse(new Utf8Decoder('utf-8', { fatal: true }).decode(bytes))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
