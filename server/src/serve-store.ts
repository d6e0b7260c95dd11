import type { SessionWithInfluencer } from '@hms-admin/database'
import type { ListenerEvent } from './change-listener.js'

/** What the endpoint needs from the database; `createDatabaseStore` implements it on a DatabaseHandle. */
export interface ServeStore {
  /** The session with its influencer, or null when there is no such session. */
  getStream(sessionId: string): Promise<SessionWithInfluencer | null>
  /** The live sessions with their influencers. */
  listLiveStreams(): Promise<SessionWithInfluencer[]>
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
