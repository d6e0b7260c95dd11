// atob, TextDecoder: global in every runtime core targets but not declared by the ES lib it compiles with.
const runtime = globalThis as unknown as {
  atob(data: string): string
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/
const URL_CHARS = /[-_]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is every ASCII code, on purpose
const NON_ASCII = /[^\x00-\x7f]/
let utf8: { decode(bytes: Uint8Array): string } | undefined

/** Returns true when the text uses only the base64url alphabet with a decodable length (no padding). */
export function isBase64url(text: string): boolean {
  return BASE64URL.test(text) && text.length % 4 !== 1
}

// Validated first, so atob (native, forgiving-base64) decodes exactly what the strict check accepts.
function binaryString(text: string): string | null {
  if (!isBase64url(text)) return null
  return runtime.atob(text.replace(URL_CHARS, (char) => (char === '-' ? '+' : '/')))
}

function bytesOf(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
  return bytes
}

/** Decodes unpadded base64url into bytes, or returns `null` for invalid input. */
export function decodeBase64url(text: string): Uint8Array | null {
  const binary = binaryString(text)
  return binary === null ? null : bytesOf(binary)
}

/** Decodes a base64url segment holding UTF-8 JSON into a plain object, or returns `null`. */
export function decodeJsonObjectSegment(segment: string): Record<string, unknown> | null {
  const binary = binaryString(segment)
  if (binary === null) return null
  try {
    // ASCII (almost every token) needs no UTF-8 decoding; anything else is decoded strictly.
    const text = NON_ASCII.test(binary)
      ? (utf8 ??= new runtime.TextDecoder('utf-8', { fatal: true })).decode(bytesOf(binary))
      : binary
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
