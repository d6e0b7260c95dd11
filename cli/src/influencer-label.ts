import { containsSecret, redactSecrets } from '@hms-admin/core'

const USABLE_HANDLE = /^[A-Za-z0-9_.-]{1,64}$/

/**
 * How the CLI names an influencer: `@handle`, or, for an adopted row without a usable handle
 * (none, empty, spaces, too long, shaped like a token), its name and id, which find it again.
 */
export function influencerLabel(influencer: { handle: string | null; name: string; id: string }): string {
  const { handle, name, id } = influencer
  if (handle !== null && USABLE_HANDLE.test(handle) && !containsSecret(handle)) return `@${handle}`
  // An adopted row's name may hold anything, a pasted token included.
  return `${redactSecrets(name) || '(no name)'} (id ${id})`
}

/** The handle column of a table or list that also shows name and id: `@handle`, or `-` when there is no usable one. */
export function handleColumn(influencer: { handle: string | null; name: string; id: string }): string {
  const label = influencerLabel(influencer)
  return label.startsWith('@') ? label : '-'
}

/** A stable path segment naming an influencer: its usable handle, else its id (never a token-shaped handle). */
export function influencerKey(influencer: { handle: string | null; name: string; id: string }): string {
  const label = influencerLabel(influencer)
  return label.startsWith('@') ? label.slice(1) : influencer.id
}
