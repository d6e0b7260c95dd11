import { inspectCredentials } from './inspect-credentials.js'
import type { AccessStatus, Credentials, PolicyOptions } from './types.js'

/**
 * Returns `ready` (usable viewer token and room code), `limited` (one usable viewer credential,
 * or only the broadcaster fallback) or `not_configured` (viewers cannot join).
 */
export function accessStatus(credentials: Credentials, options: PolicyOptions = {}): AccessStatus {
  return inspectCredentials(credentials, options).status
}
