// Characters XML 1.0 does not allow: C0 controls other than tab, LF and CR, lone surrogates (with
// the u flag a valid pair is one code point and does not match), U+FFFE and U+FFFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to remove
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu

/**
 * Text made safe for an XML attribute or element: characters XML cannot hold (names come from the
 * app's database) become U+FFFD, and `& < > " '` are escaped.
 */
export function xmlText(text: string): string {
  return text
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}
