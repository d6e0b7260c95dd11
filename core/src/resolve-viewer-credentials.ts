import { inspectCredentials } from './inspect-credentials.js'
import type { Credentials, PolicyOptions, ViewerResolution } from './types.js'

/**
 * Resolves what viewers receive: the usable viewer token and room code, else (only with the
 * broadcaster fallback on) the usable broadcaster values, else `viewer_token_invalid` when
 * something is stored but unusable or `viewer_access_not_configured` when nothing is.
 */
export function resolveViewerCredentials(credentials: Credentials, options: PolicyOptions = {}): ViewerResolution {
  return inspectCredentials(credentials, options).resolution
}
