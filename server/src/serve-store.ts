import type { SessionWithInfluencer } from '@hms-admin/database'

/** What the endpoint needs from the database; `createDatabaseStore` implements it on a DatabaseHandle. */
export interface ServeStore {
  /** The session with its influencer, or null when there is no such session. */
  getStream(sessionId: string): Promise<SessionWithInfluencer | null>
  /** The live sessions with their influencers. */
  listLiveStreams(): Promise<SessionWithInfluencer[]>
  /** Resolves when the database answers. */
  ping(): Promise<void>
  /**
   * Listens to change notifications. `onChange` gets each payload; `onSubscribed(false)` when the
   * listening connection is lost and `onSubscribed(true)` once listening again (and at the start).
   */
  subscribe(
    onChange: (payload: string) => void,
    onSubscribed: (subscribed: boolean) => void,
  ): Promise<() => Promise<void>>
}
