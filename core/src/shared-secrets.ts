import { trimSecret } from './trim-secret.js'
import { CREDENTIAL_FIELDS, type Credentials, type SharedSecret } from './types.js'

/**
 * Finds secrets (tokens or room codes, in any slot, compared with `trimSecret`) stored for more than one
 * influencer: the cross-influencer facts `evaluateInfluencer` takes, per influencer id; influencers
 * without any are left out. The database computes the same facts in SQL for stored influencers.
 */
export function findSharedSecrets(
  entries: Iterable<{ influencerId: string; credentials: Credentials }>,
): Map<string, SharedSecret[]> {
  const holders = new Map<string, { influencerId: string; field: SharedSecret['field'] }[]>()
  for (const { influencerId, credentials } of entries) {
    for (const field of CREDENTIAL_FIELDS) {
      const value = trimSecret(credentials[field] ?? '')
      if (!value) continue
      const list = holders.get(value)
      if (list) list.push({ influencerId, field })
      else holders.set(value, [{ influencerId, field }])
    }
  }
  const result = new Map<string, SharedSecret[]>()
  for (const list of holders.values()) {
    const influencers = new Set(list.map((holder) => holder.influencerId))
    if (influencers.size < 2) continue
    for (const { influencerId, field } of list) {
      const found = result.get(influencerId) ?? []
      found.push({ field, sharedWithCount: influencers.size - 1 })
      result.set(influencerId, found)
    }
  }
  return result
}
