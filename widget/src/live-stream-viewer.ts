import { LitElement, html, nothing } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import type { ViewerCredentialsResponse } from '@hms-admin/core'
import { fetchJson } from './fetch-json.js'
import type { HlsPlayback } from './hls-playback.js'
import { badgeText, errorMessage } from './messages.js'
import { toSdkError } from './sdk-adapter.js'
import type { SdkAdapter, SdkAdapterFactory, SdkEvent, SdkSnapshot } from './sdk-adapter.js'
import { viewerStyles } from './viewer-styles.js'
import { RETRYABLE_ERROR_CODES } from './viewer-state.js'
import type { LiveStreamErrorDetail, LiveStreamStateDetail, ViewerErrorCode, ViewerState } from './viewer-state.js'

/** Refresh credentials this long before they expire. */
const REFRESH_BEFORE_EXPIRY_MS = 60_000
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2_147_483_647

const STATUS_TEXT: Record<Exclude<ViewerState, 'error'>, string> = {
  idle: 'No stream selected.',
  loading: 'Loading the stream…',
  connecting: 'Connecting…',
  waiting: 'Waiting for the stream to start…',
  playing: 'Live',
  reconnecting: 'Connection lost. Reconnecting…',
  ended: 'The stream has ended.',
}

/** Why a join attempt failed, as far as the viewer's next step is concerned. */
type FailureKind = 'auth' | 'network' | 'unsupported'

function classifyFailure(reason: unknown): FailureKind {
  if (reason instanceof Error && reason.name === 'TimeoutError') return 'network'
  const error = toSdkError(reason)
  // The SDK decodes the token with atob(): a malformed payload throws a bare DOMException.
  if (error.name === 'InvalidCharacterError' || error.name === 'InvalidTokenFormat') return 'auth'
  if (error.code === 6010 || error.code === 6011) return 'unsupported'
  if (error.code === 2004 || (error.code >= 400 && error.code < 500)) return 'auth'
  return 'network'
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DOMException('Timed out', 'TimeoutError')), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/**
 * Plays one live stream: fetches the viewer credentials from the hms-admin endpoint, shows the
 * stream's title, influencer, access badge and connection info, and joins the 100ms room (the
 * SDK is loaded with a dynamic `import()` only then). Leaves the room when removed from the page,
 * when `session-id` changes and on `pagehide`.
 *
 * Testing and custom SDK builds: set `LiveStreamViewer.adapterFactory` (all viewers) or the
 * `adapterFactory` property (one viewer) to a function returning an {@link SdkAdapter}.
 *
 * @tag live-stream-viewer
 * @fires live-stream-state - The state changed; `detail: {state, previousState, sessionId}`.
 * @fires live-stream-error - An error is shown; `detail: {code, message, retryable, sessionId}`.
 * @csspart header - Title, influencer and badge.
 * @csspart title - The stream title.
 * @csspart influencer - The influencer's name and handle.
 * @csspart badge - The access badge (✅ Ready / ⚠️ Limited / ❌ Not configured).
 * @csspart stage - The box around the video.
 * @csspart video - The `<video>` element.
 * @csspart status - The `aria-live` status line (also shows error messages).
 * @csspart retry-button - The Retry button shown on retryable errors.
 * @csspart unmute-button - The "Tap to unmute" button.
 * @csspart connection-info - The connection details list.
 * @cssprop [--live-stream-font=system-ui, sans-serif] - Font family.
 * @cssprop [--live-stream-color=#1a1a1a] - Text color.
 * @cssprop [--live-stream-background=#ffffff] - Background.
 * @cssprop [--live-stream-accent=#0b57d0] - Button background.
 * @cssprop [--live-stream-accent-text=#ffffff] - Button text color.
 * @cssprop [--live-stream-error=#b3261e] - Error text color.
 * @cssprop [--live-stream-radius=8px] - Corner radius.
 * @cssprop [--live-stream-stage-background=#000000] - Background behind the video.
 */
@customElement('live-stream-viewer')
export class LiveStreamViewer extends LitElement {
  static override styles = viewerStyles

  /** The SDK adapter factory every viewer uses unless its own `adapterFactory` is set. */
  static adapterFactory: SdkAdapterFactory = async () => (await import('./hms-sdk-adapter.js')).createHmsSdkAdapter()

  /** The live stream session to play. */
  @property({ attribute: 'session-id' }) sessionId: string | null = null

  /** Base URL of the hms-admin API. */
  @property({ attribute: 'api-base' }) apiBase = '/api'

  /** The name shown to other peers. */
  @property({ attribute: 'user-name' }) userName = 'Guest'

  /** How long one join attempt may take before it counts as `connection_failed` (ms). */
  @property({ attribute: 'join-timeout', type: Number }) joinTimeout = 20_000

  /** The current state (reflected as the `state` attribute; read-only). */
  @property({ reflect: true }) state: ViewerState = 'idle'

  /** This viewer's SDK adapter factory; overrides `LiveStreamViewer.adapterFactory`. */
  adapterFactory: SdkAdapterFactory | null = null

  @state() private viewer: ViewerCredentialsResponse | null = null
  @state() private failure: LiveStreamErrorDetail | null = null
  @state() private audioBlocked = false
  @state() private hlsMode = false
  @state() private hlsMuted = true

  @query('video') private video!: HTMLVideoElement

  private run = 0
  private abort: AbortController | null = null
  private adapter: SdkAdapter | null = null
  private joined = false
  private lastSnapshot: SdkSnapshot | null = null
  private authRefetched = false
  private attachedTrackId: string | null = null
  private hls: HlsPlayback | null = null
  private hlsUrl: string | null = null
  private refreshTimer: ReturnType<typeof setTimeout> | undefined

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('pagehide', this.onPageHide)
    window.addEventListener('pageshow', this.onPageShow)
    if (this.hasUpdated) void this.restart()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    window.removeEventListener('pagehide', this.onPageHide)
    window.removeEventListener('pageshow', this.onPageShow)
    this.stop()
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('sessionId') || changed.has('apiBase')) void this.restart()
  }

  /** Starts over: leaves the room, fetches fresh credentials and joins again. */
  retry(): void {
    void this.restart()
  }

  private readonly onPageHide = (): void => this.stop()

  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) void this.restart()
  }

  /** Invalidates everything in flight and leaves the room. */
  private stop(): void {
    this.run += 1
    this.abort?.abort()
    this.abort = null
    clearTimeout(this.refreshTimer)
    this.teardownRoom()
  }

  private teardownRoom(): void {
    const { adapter } = this
    if (this.attachedTrackId && adapter && this.video)
      void adapter.detachVideo(this.attachedTrackId, this.video).catch(() => undefined)
    this.attachedTrackId = null
    this.hls?.destroy()
    this.hls = null
    this.hlsUrl = null
    this.joined = false
    this.lastSnapshot = null
    this.audioBlocked = false
    if (adapter) void adapter.leave()
  }

  private async restart(): Promise<void> {
    this.stop()
    const run = this.run
    this.abort = new AbortController()
    this.viewer = null
    this.failure = null
    this.authRefetched = false
    this.hlsMode = false
    this.hlsMuted = true
    if (!this.sessionId) return this.setState('idle')
    this.setState('loading')
    if (!(await this.loadCredentials(run))) return
    await this.play(run)
  }

  /** Fetches the viewer answer; false (after showing the error) when there is none. */
  private async loadCredentials(run: number): Promise<boolean> {
    let result: Awaited<ReturnType<typeof fetchJson<ViewerCredentialsResponse>>>
    try {
      result = await fetchJson<ViewerCredentialsResponse>(this.credentialsUrl(), this.abort?.signal)
    } catch {
      return false // aborted: a newer run owns the element
    }
    if (run !== this.run) return false
    if (!result.ok) {
      this.fail(result.code, result.message)
      return false
    }
    this.viewer = result.body
    this.scheduleRefresh(run)
    return true
  }

  /** Re-fetches the credentials shortly before they expire, once per later expiry (never a loop). */
  private scheduleRefresh(run: number): void {
    clearTimeout(this.refreshTimer)
    const expiresAt = Date.parse(this.viewer?.credentials.expiresAt ?? '')
    if (!Number.isFinite(expiresAt)) return
    const delay = Math.min(MAX_TIMER_MS, Math.max(5_000, expiresAt - Date.now() - REFRESH_BEFORE_EXPIRY_MS))
    this.refreshTimer = setTimeout(() => {
      void fetchJson<ViewerCredentialsResponse>(this.credentialsUrl(), this.abort?.signal)
        .then((result) => {
          if (run !== this.run || !result.ok) return
          const later = Date.parse(result.body.credentials.expiresAt ?? '') > expiresAt
          this.viewer = result.body
          if (later) this.scheduleRefresh(run)
        })
        .catch(() => undefined)
    }, delay)
  }

  private credentialsUrl(): string {
    return `${this.apiBase.replace(/\/+$/, '')}/live-streams/${encodeURIComponent(this.sessionId ?? '')}/viewer`
  }

  private async play(run: number): Promise<void> {
    this.setState('connecting')
    if (typeof RTCPeerConnection === 'undefined' || !navigator.mediaDevices) return this.fail('unsupported_browser')
    try {
      if (!this.adapter) {
        const adapter = await (this.adapterFactory ?? LiveStreamViewer.adapterFactory)()
        if (!this.adapter) {
          this.adapter = adapter
          // The adapter lives as long as the element, so the subscription does too.
          adapter.subscribe((event) => this.onSdkEvent(event))
        }
      }
    } catch {
      if (run === this.run) this.fail('connection_failed')
      return
    }
    if (run !== this.run) return
    await this.join(run)
  }

  /**
   * Joins with the token; when the token is rejected and a room code is there, with the room
   * code once; when every credential is rejected, re-fetches the credentials once.
   */
  private async join(run: number): Promise<void> {
    const adapter = this.adapter
    const credentials = this.viewer?.credentials
    if (!adapter || !credentials) return
    const attempts: Array<() => Promise<string>> = []
    const { authToken, roomCode } = credentials
    if (authToken) attempts.push(() => Promise.resolve(authToken))
    if (roomCode) attempts.push(() => adapter.getAuthTokenByRoomCode({ roomCode }))
    if (attempts.length === 0) return this.fail('viewer_access_not_configured')

    for (const [index, attempt] of attempts.entries()) {
      try {
        await withTimeout(
          attempt().then((token) => adapter.join({ userName: this.userName || 'Guest', authToken: token })),
          this.joinTimeout,
        )
        if (run !== this.run) {
          void adapter.leave() // removed or restarted while joining
          return
        }
        this.joined = true
        // The store usually reports Connected before join() resolves.
        if (this.lastSnapshot) this.onSnapshot(this.lastSnapshot)
        return
      } catch (reason) {
        // A join rejected before the transport starts leaves the store at Connecting: reset it.
        await withTimeout(adapter.leave(), 5_000).catch(() => undefined)
        if (run !== this.run) return
        const kind = classifyFailure(reason)
        if (kind === 'auth' && index < attempts.length - 1) continue
        if (kind === 'auth' && !this.authRefetched) {
          this.authRefetched = true
          if (await this.loadCredentials(run)) return this.join(run)
          return
        }
        return this.fail(
          kind === 'auth'
            ? 'viewer_token_invalid'
            : kind === 'unsupported'
              ? 'unsupported_browser'
              : 'connection_failed',
        )
      }
    }
  }

  private onSdkEvent(event: SdkEvent): void {
    if (event.type === 'snapshot') this.lastSnapshot = event.snapshot
    if (!this.joined) return
    switch (event.type) {
      case 'snapshot':
        return this.onSnapshot(event.snapshot)
      case 'autoplay-blocked':
        this.audioBlocked = true
        return
      case 'room-ended':
        this.teardownRoom()
        return this.setState('ended')
      case 'error': {
        const kind = classifyFailure(event.error)
        this.teardownRoom()
        if (kind === 'auth' && !this.authRefetched) {
          this.authRefetched = true
          const run = this.run
          this.setState('connecting')
          void this.loadCredentials(run).then((ok) => (ok ? this.join(run) : undefined))
          return
        }
        return this.fail(kind === 'auth' ? 'viewer_token_invalid' : 'connection_failed')
      }
    }
  }

  private onSnapshot(snapshot: SdkSnapshot): void {
    if (snapshot.roomState === 'reconnecting') return this.setState('reconnecting')
    if (snapshot.roomState !== 'connected') return
    this.hlsMode = snapshot.receivesWebrtcMedia === false
    if (this.hlsMode) void this.showHls(snapshot.hlsUrl)
    else void this.showTrack(snapshot.videoTrackId)
    this.setState(snapshot[this.hlsMode ? 'hlsUrl' : 'videoTrackId'] ? 'playing' : 'waiting')
  }

  private async showTrack(trackId: string | null): Promise<void> {
    const { adapter, video } = this
    if (!adapter || !video || trackId === this.attachedTrackId) return
    // The track id changes after an SFU migration: detach the old one, attach the new one.
    if (this.attachedTrackId) await adapter.detachVideo(this.attachedTrackId, video).catch(() => undefined)
    this.attachedTrackId = trackId
    if (trackId) await adapter.attachVideo(trackId, video).catch(() => undefined)
  }

  private async showHls(url: string | null): Promise<void> {
    if (url === this.hlsUrl) return
    this.hls?.destroy()
    this.hls = null
    this.hlsUrl = url
    if (!url) return
    const run = this.run
    const { startHlsPlayback } = await import('./hls-playback.js')
    if (run !== this.run || url !== this.hlsUrl) return
    this.hls = startHlsPlayback(this.video, url, () => {
      if (run === this.run) this.setState('waiting')
    })
  }

  private async unmute(): Promise<void> {
    if (this.hlsMode) {
      this.hlsMuted = false
      this.video.muted = false
      await this.video.play().catch(() => undefined)
      return
    }
    await this.adapter?.unblockAudio().catch(() => undefined)
    this.audioBlocked = false
  }

  private fail(code: ViewerErrorCode, serverMessage?: string | null): void {
    this.teardownRoom()
    const detail: LiveStreamErrorDetail = {
      code,
      message: errorMessage(code, serverMessage),
      retryable: RETRYABLE_ERROR_CODES.has(code),
      sessionId: this.sessionId,
    }
    this.failure = detail
    this.setState('error')
    void this.updateComplete.then(() =>
      this.dispatchEvent(
        new CustomEvent<LiveStreamErrorDetail>('live-stream-error', { detail, bubbles: true, composed: true }),
      ),
    )
  }

  private setState(next: ViewerState): void {
    const previousState = this.state
    if (next === previousState) return
    this.state = next
    const detail: LiveStreamStateDetail = { state: next, previousState, sessionId: this.sessionId }
    void this.updateComplete.then(() =>
      this.dispatchEvent(
        new CustomEvent<LiveStreamStateDetail>('live-stream-state', { detail, bubbles: true, composed: true }),
      ),
    )
  }

  private renderInfo({ access, credentials }: ViewerCredentialsResponse): unknown {
    const kinds = [credentials.authToken ? 'token' : '', credentials.roomCode ? 'room code' : ''].filter(Boolean)
    const expires = credentials.expiresAt ? new Date(credentials.expiresAt).toLocaleString() : null
    return html`<dl part="connection-info">
      <dt>Access</dt>
      <dd>${badgeText(access)}</dd>
      <dt>Credentials</dt>
      <dd>${`${credentials.source} ${kinds.join(' + ') || 'none'}`}</dd>
      ${expires ? html`<dt>Expires</dt><dd>${expires}</dd>` : nothing}
      <dt>Connection</dt>
      <dd>${this.hlsMode ? 'HLS' : 'WebRTC'} · ${this.state}</dd>
    </dl>`
  }

  protected override render(): unknown {
    const { viewer } = this
    const showUnmute =
      (this.state === 'playing' || this.state === 'waiting') && (this.hlsMode ? this.hlsMuted : this.audioBlocked)
    const status = this.state === 'error' ? (this.failure?.message ?? '') : STATUS_TEXT[this.state]
    return html`
      ${
        viewer
          ? html`<header part="header">
            <h2 part="title">${viewer.session.title}</h2>
            <p part="influencer">${viewer.session.influencer.name} <span>@${viewer.session.influencer.handle}</span></p>
            <span part="badge" class="badge ${viewer.access}">${badgeText(viewer.access)}</span>
          </header>`
          : nothing
      }
      <div part="stage" class="stage" ?hidden=${this.state !== 'playing' && this.state !== 'reconnecting'}>
        <video part="video" aria-label=${viewer ? `Live video: ${viewer.session.title}` : 'Live video'} autoplay playsinline .muted=${!this.hlsMode || this.hlsMuted}></video>
      </div>
      <p part="status" class="status ${this.state}" role="status" aria-live="polite">${status}</p>
      <div class="actions">
        ${
          this.state === 'error' && this.failure?.retryable
            ? html`<button part="retry-button" type="button" @click=${() => this.retry()}>Retry</button>`
            : nothing
        }
        ${showUnmute ? html`<button part="unmute-button" type="button" @click=${() => void this.unmute()}>🔇 Tap to unmute</button>` : nothing}
      </div>
      ${viewer ? this.renderInfo(viewer) : nothing}
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'live-stream-viewer': LiveStreamViewer
  }
  interface HTMLElementEventMap {
    'live-stream-state': CustomEvent<LiveStreamStateDetail>
    'live-stream-error': CustomEvent<LiveStreamErrorDetail>
  }
}
