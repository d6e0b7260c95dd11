/**
 * The seam between `<live-stream-viewer>` and the 100ms SDK. The element only talks to this
 * interface; the real implementation (`createHmsSdkAdapter`) lazy-loads
 * `@100mslive/hms-video-store`, and tests or integrators may inject their own factory through
 * `LiveStreamViewer.adapterFactory` (all viewers) or the `adapterFactory` property (one viewer).
 */

/** The room connection as the viewer needs it. */
export type SdkRoomState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'failed'

/** What the viewer renders from the SDK's store. */
export interface SdkSnapshot {
  roomState: SdkRoomState
  /** The on-air video track (a remote peer's camera or screen), or `null` when nothing is on air. */
  videoTrackId: string | null
  /** The HLS playlist when the room's HLS stream is running, else `null`. */
  hlsUrl: string | null
  /**
   * Whether the local role receives WebRTC media. `false` means HLS is the only way to watch;
   * `null` until the role is known (before join).
   */
  receivesWebrtcMedia: boolean | null
}

/** An SDK error, duck-typed from `HMSException` (which the SDK does not export as a class). */
export interface SdkError {
  code: number
  name: string
  message: string
  action?: string
  description?: string
  isTerminal: boolean
}

/** Something the SDK told the viewer. */
export type SdkEvent =
  | { type: 'snapshot'; snapshot: SdkSnapshot }
  | { type: 'autoplay-blocked' }
  | { type: 'room-ended'; reason: string }
  | { type: 'error'; error: SdkError }

/** The SDK operations a viewer uses. */
export interface SdkAdapter {
  /** Joins the room; rejects (with an `SdkError`-like value or any error) when joining fails. */
  join(options: { userName: string; authToken: string }): Promise<void>
  /** Leaves the room; never rejects, may be called repeatedly. */
  leave(): Promise<void>
  /** Exchanges a 100ms room code for an auth token. */
  getAuthTokenByRoomCode(options: { roomCode: string; userId?: string }): Promise<string>
  /** Shows a video track in a `<video>` element. */
  attachVideo(trackId: string, video: HTMLVideoElement): Promise<void>
  /** Stops showing a video track in a `<video>` element. */
  detachVideo(trackId: string, video: HTMLVideoElement): Promise<void>
  /** Resumes audio that autoplay rules blocked; call from a user gesture. */
  unblockAudio(): Promise<void>
  /**
   * Sets the volume of the room's audio, 0 (silent) to 100. Optional: without it the viewer
   * offers no mute or volume control for WebRTC playback.
   */
  setVolume?(volume: number): Promise<void>
  /** Listens to snapshots and events; returns the unsubscribe function. */
  subscribe(listener: (event: SdkEvent) => void): () => void
}

/** Creates an adapter; called once per viewer, when playback starts. */
export type SdkAdapterFactory = () => SdkAdapter | Promise<SdkAdapter>
