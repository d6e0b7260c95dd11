/**
 * The viewer's session in the 100ms room: credentials, joining with recovery, and the state the
 * element shows.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { CredentialsController } from './credentials-controller.js'
import { classifyJoinFailure, withTimeout } from './join-failure.js'
import type { SdkAdapter, SdkAdapterFactory, SdkEvent, SdkSnapshot } from './sdk-adapter.js'
import type { ViewerErrorCode, ViewerState } from './viewer-state.js'

/** What the room controller reads from and reports to its element. */
export interface RoomOptions {
  sessionId(): string | null
  userName(): string
  /** How long one join attempt may take (ms). */
  joinTimeout(): number
  adapterFactory(): SdkAdapterFactory
  /** Called on every state change, after `state` (and `failure` for `error`) changed. */
  onState(state: ViewerState, previous: ViewerState): void
}

/** Why the viewer is in the `error` state. */
export interface RoomFailure {
  code: ViewerErrorCode
  /** The endpoint's own message, for codes the catalogue does not know. */
  serverMessage: string | null
}

/**
 * Runs one viewing session: fetches the credentials (through a `CredentialsController`), loads
 * the SDK adapter, joins with the token; when 100ms rejects it and a room code is there, with the
 * room code once; when every credential is rejected, re-fetches the credentials once. Tracks the
 * room (waiting, playing, reconnecting, ended), leaves it on `stop()` and when the host
 * disconnects, and starts over on `start()`.
 */
export class RoomController implements ReactiveController {
  /** The viewer state (DESIGN.md section 6). */
  state: ViewerState = 'idle'
  /** Set while `state` is `error`. */
  failure: RoomFailure | null = null
  /** The SDK adapter, once loaded (it lives as long as the element). */
  adapter: SdkAdapter | null = null
  /** The room's last snapshot while joined, else null. */
  snapshot: SdkSnapshot | null = null
  /** Whether the SDK reported that autoplay rules blocked the room's audio. */
  audioBlocked = false

  #run = 0
  #joined = false
  #authRefetched = false
  #pending: SdkSnapshot | null = null

  readonly #host: ReactiveControllerHost
  readonly #credentials: CredentialsController
  readonly #options: RoomOptions

  constructor(host: ReactiveControllerHost, credentials: CredentialsController, options: RoomOptions) {
    this.#host = host
    this.#credentials = credentials
    this.#options = options
    host.addController(this)
  }

  /** Whether the role receives no WebRTC media, so the stream is watched through HLS. */
  get hls(): boolean {
    return this.snapshot?.receivesWebrtcMedia === false
  }

  hostDisconnected(): void {
    this.stop()
  }

  /** Starts over: leaves the room, fetches fresh credentials and joins again. */
  async start(): Promise<void> {
    this.stop()
    const run = this.#run
    this.#authRefetched = false
    if (!this.#options.sessionId()) return this.#setState('idle')
    this.#setState('loading')
    if (!(await this.#loadCredentials(run))) return
    this.#setState('connecting')
    if (typeof RTCPeerConnection === 'undefined' || !navigator.mediaDevices) return this.#fail('unsupported_browser')
    // HLS viewers need hls.js as soon as they are in: fetch it while the SDK loads and joins. Both
    // requests leave before the answer's first render (which formats a date: tens of ms at first).
    void import('./hls-playback.js').catch(() => undefined)
    if (!(await this.#loadAdapter(run))) return
    await this.#join(run)
  }

  /** Invalidates everything in flight and leaves the room. */
  stop(): void {
    this.#run += 1
    this.#credentials.clear()
    this.#leave()
  }

  /** Playback of the stream failed: back to waiting for it. */
  mediaFailed(): void {
    if (this.state === 'playing') this.#setState('waiting')
  }

  #leave(): void {
    this.#joined = false
    this.snapshot = null
    this.#pending = null
    this.audioBlocked = false
    if (this.adapter) void this.adapter.leave()
    this.#host.requestUpdate()
  }

  /** Fetches the viewer answer; false (after showing the error) when there is none. */
  async #loadCredentials(run: number): Promise<boolean> {
    const result = await this.#credentials.load()
    if (!result || run !== this.#run) return false
    if (!result.ok) this.#fail(result.code, result.message)
    return result.ok
  }

  async #loadAdapter(run: number): Promise<boolean> {
    try {
      const adapter = this.adapter ?? (await this.#options.adapterFactory()())
      if (!this.adapter) {
        this.adapter = adapter
        // The adapter lives as long as the element, so the subscription does too.
        adapter.subscribe((event) => this.#onSdkEvent(event))
      }
    } catch {
      if (run === this.#run) this.#fail('connection_failed')
      return false
    }
    return run === this.#run
  }

  /** Joins with each credential in turn; re-fetches the credentials once when all are rejected. */
  async #join(run: number): Promise<void> {
    const adapter = this.adapter
    const { authToken, roomCode } = this.#credentials.value?.credentials ?? {}
    const attempts: Array<() => Promise<string>> = []
    if (authToken) attempts.push(() => Promise.resolve(authToken))
    if (roomCode) attempts.push(() => adapter!.getAuthTokenByRoomCode({ roomCode }))
    if (!adapter || attempts.length === 0) return this.#fail('viewer_access_not_configured')
    for (const [index, attempt] of attempts.entries()) {
      try {
        const joining = attempt().then((token) =>
          adapter.join({ userName: this.#options.userName() || 'Guest', authToken: token }),
        )
        await withTimeout(joining, this.#options.joinTimeout())
        if (run !== this.#run) return void adapter.leave() // removed or restarted while joining
        this.#joined = true
        // The store usually reports Connected before join() resolves.
        if (this.#pending) this.#onSnapshot(this.#pending)
        return
      } catch (reason) {
        // A join rejected before the transport starts leaves the store at Connecting: reset it.
        await withTimeout(adapter.leave(), 5_000).catch(() => undefined)
        if (run !== this.#run) return
        const kind = classifyJoinFailure(reason)
        if (kind === 'auth' && index < attempts.length - 1) continue
        if (kind === 'auth') return this.#refetchAndJoin(run)
        return this.#fail(kind === 'unsupported' ? 'unsupported_browser' : 'connection_failed')
      }
    }
  }

  /** Every credential was rejected: fetch them again once (they may have been rotated), else give up. */
  async #refetchAndJoin(run: number): Promise<void> {
    if (this.#authRefetched) return this.#fail('viewer_token_invalid')
    this.#authRefetched = true
    this.#setState('connecting')
    if (!(await this.#loadCredentials(run))) return
    this.#host.requestUpdate() // the state is unchanged, so only this draws the new answer
    await this.#join(run)
  }

  #onSdkEvent(event: SdkEvent): void {
    if (event.type === 'snapshot') this.#pending = event.snapshot
    if (!this.#joined) return
    if (event.type === 'snapshot') return this.#onSnapshot(event.snapshot)
    if (event.type === 'autoplay-blocked') {
      this.audioBlocked = true
      return this.#host.requestUpdate()
    }
    this.#leave()
    if (event.type === 'room-ended') return this.#setState('ended')
    if (classifyJoinFailure(event.error) === 'auth') return void this.#refetchAndJoin(this.#run)
    this.#fail('connection_failed')
  }

  #onSnapshot(snapshot: SdkSnapshot): void {
    if (snapshot.roomState === 'reconnecting') return this.#setState('reconnecting')
    if (snapshot.roomState !== 'connected') return
    this.snapshot = snapshot
    this.#host.requestUpdate()
    this.#setState(snapshot[this.hls ? 'hlsUrl' : 'videoTrackId'] ? 'playing' : 'waiting')
  }

  #fail(code: ViewerErrorCode, serverMessage: string | null = null): void {
    this.#leave()
    this.failure = { code, serverMessage }
    this.#setState('error')
  }

  #setState(next: ViewerState): void {
    const previous = this.state
    if (next !== 'error') this.failure = null
    if (next === previous) return
    this.state = next
    this.#host.requestUpdate()
    this.#options.onState(next, previous)
  }
}
