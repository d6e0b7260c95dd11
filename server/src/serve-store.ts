import type { SharedSecret } from '@hms-admin/core'
import type { SessionWithInfluencer } from '@hms-admin/database'
import type { ListenerEvent } from './change-listener.js'

/**
 * A stream as the endpoint evaluates it: the session, its influencer, and the cross-influencer
 * facts of that influencer (which of its secrets other influencers also hold).
 */
export interface StreamRecord extends SessionWithInfluencer {
  sharedSecrets: readonly SharedSecret[]
}

/** What the endpoint needs from the database; `createDatabaseStore` implements it on a DatabaseHandle. */
export interface ServeStore {
  /** The session with its influencer and shared-secret facts, or null when there is no such session. */
  getStream(sessionId: string): Promise<StreamRecord | null>
  /** The live sessions with their influencers and shared-secret facts. */
  listLiveStreams(): Promise<StreamRecord[]>
  /** Resolves when the database answers. */
  ping(): Promise<void>
  /**
   * Listens to change notifications. `onChange` gets each payload; `onSubscribed(true, why)` once
   * notifications are proven to arrive (the cache may be used), `onSubscribed(false, why)` whenever
   * that stops being proven (the cache must be bypassed). Called on changes of state only.
   */
  subscribe(
    onChange: (payload: string) => void,
    onSubscribed: (subscribed: boolean, why?: ListenerEvent) => void,
  ): Promise<() => Promise<void>>
}
