/**
 * How the viewer reads a failed join: what kind of failure it was, and a deadline for joins
 * that never settle.
 */
/** Why a join attempt failed, as far as the viewer's next step is concerned. */
export type JoinFailure = 'auth' | 'network' | 'unsupported'

/** Classifies a join or token rejection (or an SDK error notification). */
export function classifyJoinFailure(reason: unknown): JoinFailure {
  // Duck-typed: the SDK does not export its HMSException class.
  const { name, code: raw } = (reason ?? {}) as { name?: unknown; code?: unknown }
  const code = Number(raw) || 0
  if (name === 'TimeoutError') return 'network'
  // The SDK decodes the token with atob(): a malformed payload throws a bare DOMException.
  if (name === 'InvalidCharacterError' || name === 'InvalidTokenFormat') return 'auth'
  if (code === 6010 || code === 6011) return 'unsupported'
  return code === 2004 || (code >= 400 && code < 500) ? 'auth' : 'network'
}

/** `promise`, or a `TimeoutError` DOMException after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DOMException('Timed out', 'TimeoutError')), ms)
    promise.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}
