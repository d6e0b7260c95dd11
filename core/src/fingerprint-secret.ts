import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/** Returns a stable, non-reversible fingerprint of a (trimmed) secret: 'sha256:' + 12 hex chars. */
export function fingerprintSecret(value: string): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(value.trim()))).slice(0, 12)}`
}
