import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * Returns the lowercase hex SHA-256 digest of a string's UTF-8 bytes. Core's default is pure JS
 * (isomorphic); a Node caller can pass `node:crypto` for speed, e.g.
 * `(text) => createHash('sha256').update(text).digest('hex')`.
 */
export type Sha256Hex = (text: string) => string

/** The pure-JS SHA-256 (@noble/hashes), hex encoded. */
export const nobleSha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)))

/** Returns a stable, non-reversible fingerprint of a (trimmed) secret: 'sha256:' + 12 hex chars. */
export function fingerprintSecret(value: string, sha256Hex: Sha256Hex = nobleSha256Hex): string {
  return `sha256:${sha256Hex(value.trim()).slice(0, 12)}`
}
