import { findings as build } from './findings.js'
import { CREDENTIAL_FIELDS, type CredentialField, type Credentials, type Finding } from './types.js'

/** Builds the `token.shared` finding for a slot whose secret is stored for `sharedWithCount` other influencers. */
export function sharedSecretFinding(field: CredentialField, sharedWithCount: number): Finding {
  return build.tokenShared(field, sharedWithCount)
}

/**
 * Finds secrets (tokens or room codes, in any slot) stored for more than one influencer and returns
 * the `token.shared` findings per influencer id; influencers without any are left out.
 */
export function findSharedSecrets(
  entries: Iterable<{ influencerId: string; credentials: Credentials }>,
): Map<string, Finding[]> {
  const holders = new Map<string, { influencerId: string; field: CredentialField }[]>()
  for (const { influencerId, credentials } of entries) {
    for (const field of CREDENTIAL_FIELDS) {
      const value = credentials[field]?.trim()
      if (!value) continue
      const list = holders.get(value)
      if (list) list.push({ influencerId, field })
      else holders.set(value, [{ influencerId, field }])
    }
  }
  const result = new Map<string, Finding[]>()
  for (const list of holders.values()) {
    const influencers = new Set(list.map((holder) => holder.influencerId))
    if (influencers.size < 2) continue
    for (const { influencerId, field } of list) {
      const found = result.get(influencerId) ?? []
      found.push(sharedSecretFinding(field, influencers.size - 1))
      result.set(influencerId, found)
    }
  }
  return result
}
