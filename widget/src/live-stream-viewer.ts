import { LitElement, html, nothing } from 'lit'
import type { PropertyValues } from 'lit'
import { ACCESS_STATUS_BADGES } from '@hms-admin/core'
import type { AccessStatus, ViewerCredentialsResponse } from '@hms-admin/core'
import { CredentialsController } from './credentials-controller.js'
import { fire } from './events.js'
import { LocaleController } from './locale-controller.js'
import type { MessageKey, Messages } from './messages-en.js'
import { PlayerController } from './player-controller.js'
import { ICONS, icon, renderControls } from './player-controls.js'
import { RoomController } from './room-controller.js'
import type { SdkAdapterFactory } from './sdk-adapter.js'
import { viewerStyles } from './viewer-styles.js'
import { RETRYABLE_ERROR_CODES } from './viewer-state.js'
import type { ViewerState } from './viewer-state.js'

/** The window events that stop and restart a viewer (the back/forward cache). */
const PAGE_EVENTS = ['pagehide', 'pageshow'] as const

/**
 * Plays one live stream: fetches the viewer credentials from the hms-admin endpoint, shows the
 * stream's title, influencer, access badge and connection info, and joins the 100ms room (the
 * SDK is loaded with a dynamic `import()` only then). Every state is drawn inside a stage whose
 * size is reserved from the first render. Leaves the room when removed from the page, when
 * `session-id` changes and on `pagehide`.
 *
 * Keyboard, while the element has focus: `f` fullscreen, `m` mute, `k` or space play/pause (HLS).
 * Texts come from the message catalogue in the language of `lang` (the element's, else the
 * nearest ancestor's, else the browser's; English when unknown); `messages` overrides any text.
 *
 * Testing and custom SDK builds: set `LiveStreamViewer.adapterFactory` (all viewers) or the
 * `adapterFactory` property (one viewer) to a function returning an `SdkAdapter`.
 *
 * @summary A live stream player for an hms-admin session.
 * @fires live-stream-state - The state changed; `detail: {state, previousState, sessionId}`.
 * @fires live-stream-error - An error is shown; `detail: {code, message, retryable, sessionId}`.
 * @csspart header - Title, influencer and badge.
 * @csspart title - The stream title.
 * @csspart influencer - The influencer's name and handle.
 * @csspart badge - The access badge (✅ Ready / ⚠️ Limited / ❌ Not configured).
 * @csspart stage - The 16:9 box with the video, the state messages and the controls.
 * @csspart video - The `<video>` element.
 * @csspart status - The `aria-live` status message in the stage (visually hidden while playing).
 * @csspart retry-button - The Retry button shown on retryable errors.
 * @csspart unmute-button - The "Tap to unmute" button.
 * @csspart controls - The control bar (hidden while the pointer is idle during playback).
 * @csspart play-button - Play/pause (HLS playback only).
 * @csspart mute-button - Mute/unmute.
 * @csspart volume - The volume slider.
 * @csspart live-indicator - The LIVE indicator.
 * @csspart pip-button - Picture-in-picture (where the browser allows it).
 * @csspart fullscreen-button - Fullscreen of the whole element (where allowed).
 * @csspart connection-info - The connection details list.
 * @cssprop [--live-stream-font=system-ui, sans-serif] - Font family.
 * @cssprop [--live-stream-color=light-dark(#1a1a1a, #ececec)] - Text color.
 * @cssprop [--live-stream-background=light-dark(#fff, #1c1c1e)] - Background.
 * @cssprop [--live-stream-accent=light-dark(#0b57d0, #a8c7fa)] - Button background and focus ring.
 * @cssprop [--live-stream-accent-text=light-dark(#fff, #062e6f)] - Button text color.
 * @cssprop [--live-stream-error=#b3261e] - Background of the error mark in the stage.
 * @cssprop [--live-stream-radius=8px] - Corner radius.
 * @cssprop [--live-stream-stage-background=#000] - Background of the stage.
 * @cssprop [--live-stream-stage-color=#fff] - Text and icon color in the stage.
 * @cssprop [--live-stream-aspect-ratio=16 / 9] - The stage's aspect ratio.
 * @cssprop [--live-stream-live-color=#e53935] - The dot of the LIVE indicator.
 */
export class LiveStreamViewer extends LitElement {
  static override styles = viewerStyles

  static override properties = {
    sessionId: { attribute: 'session-id' },
    apiBase: { attribute: 'api-base' },
    userName: { attribute: 'user-name' },
    joinTimeout: { attribute: 'join-timeout', type: Number },
    state: { attribute: 'state', reflect: true },
    messages: { attribute: false },
  }

  /** The SDK adapter factory every viewer uses unless its own `adapterFactory` is set. */
  static adapterFactory: SdkAdapterFactory = async () => (await import('./hms-sdk-adapter.js')).createHmsSdkAdapter()

  /** The live stream session to play. */
  sessionId: string | null = null

  /** Base URL of the hms-admin API. */
  apiBase = '/api'

  /** The name shown to other peers. */
  userName = 'Guest'

  /** How long one join attempt may take before it counts as `connection_failed` (ms). */
  joinTimeout = 20_000

  /** The current state (reflected as the `state` attribute; read-only). */
  state: ViewerState = 'idle'

  /** Texts that replace built-in ones, by message key; any subset (missing keys stay built in). */
  messages: Partial<Messages> | null = null

  /** This viewer's SDK adapter factory; overrides `LiveStreamViewer.adapterFactory`. */
  adapterFactory: SdkAdapterFactory | null = null

  readonly #locale = new LocaleController(this)
  readonly #credentials = new CredentialsController(
    this,
    () => `${this.apiBase.replace(/\/+$/, '')}/live-streams/${encodeURIComponent(this.sessionId ?? '')}/viewer`,
  )
  readonly #room = new RoomController(this, this.#credentials, {
    sessionId: () => this.sessionId,
    userName: () => this.userName,
    joinTimeout: () => this.joinTimeout,
    adapterFactory: () => this.adapterFactory ?? LiveStreamViewer.adapterFactory,
    onState: (state, previous) => this.#onState(state, previous),
  })
  #status: Text | undefined
  readonly #player: PlayerController = new PlayerController(this, this.#room, () =>
    this.renderRoot.querySelector('video'),
  )

  override connectedCallback(): void {
    super.connectedCallback()
    for (const type of PAGE_EVENTS) window.addEventListener(type, this.#onPage)
    if (this.hasUpdated) void this.#room.start()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    for (const type of PAGE_EVENTS) window.removeEventListener(type, this.#onPage)
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messages')) this.#locale.override(this.messages)
    // Before rendering, so that the credentials request is on its way while the frame is drawn.
    if (changed.has('sessionId') || changed.has('apiBase')) void this.#room.start()
  }

  /** Starts over: leaves the room, fetches fresh credentials and joins again. */
  retry(): void {
    void this.#room.start()
  }

  /** Leaves the room on `pagehide`; joins again when the page comes back from the back/forward cache. */
  readonly #onPage = (event: PageTransitionEvent): void => {
    if (event.type === 'pagehide') this.#room.stop()
    else if (event.persisted) void this.#room.start()
  }

  #onState(state: ViewerState, previousState: ViewerState): void {
    this.state = state
    const { failure } = this.#room
    const sessionId = this.sessionId
    void this.updateComplete.then(() => {
      fire(this, 'live-stream-state', { state, previousState, sessionId })
      if (!failure) return
      const retryable = RETRYABLE_ERROR_CODES.has(failure.code)
      fire(this, 'live-stream-error', {
        code: failure.code,
        message: this.#locale.error(failure.code, failure.serverMessage),
        retryable,
        sessionId,
      })
    })
  }

  #badge(access: AccessStatus): string {
    return `${ACCESS_STATUS_BADGES[access]?.emoji ?? ''} ${this.#locale.t(access)}`
  }

  /** A new text node for each new message: updating centered text in place would shift it. */
  #statusLine(text: string): Text {
    if (this.#status?.data !== text) this.#status = document.createTextNode(text)
    return this.#status
  }

  /** The state drawn in the stage: a mark (spinner or error sign), the status message, Retry, "Tap to unmute". */
  #renderOverlay(state: ViewerState): unknown {
    const { t } = this.#locale
    const { failure } = this.#room
    const busy = /^(loading|connecting|reconnecting)$/.test(state) || (state === 'playing' && !this.#player.hasFrame)
    const prompt = (state === 'playing' || state === 'waiting') && this.#player.unmutePrompt
    const text = failure
      ? this.#locale.error(failure.code, failure.serverMessage)
      : t(state as Exclude<ViewerState, 'error'>)
    // Nothing in the stage shifts from state to state: the mark's place is reserved, the status
    // line spans the stage, and each message is a new text node.
    return html`<div class="overlay ${state}">
      <div class="mark ${busy ? 'spin' : ''}" aria-hidden="true">${failure ? '!' : ''}</div>
      <p part="status" role="status">${this.#statusLine(text)}</p>
      ${
        failure && RETRYABLE_ERROR_CODES.has(failure.code)
          ? html`<button part="retry-button" @click=${() => this.retry()}>${t('retry')}</button>`
          : nothing
      }
    </div>
    ${prompt ? html`<button part="unmute-button" class="prompt" @click=${() => this.#player.setMuted(false)}>${icon(ICONS.muted)} ${t('tap_to_unmute')}</button>` : nothing}`
  }

  /** The connection details; every row is there from the first render (hidden until the answer). */
  #renderInfo(viewer: ViewerCredentialsResponse | null): unknown {
    const { t } = this.#locale
    const credentials = viewer?.credentials
    const kinds = [credentials?.authToken && t('token'), credentials?.roomCode && t('room_code')].filter(Boolean)
    const rows: Array<[MessageKey, string]> = [
      ['access', viewer ? this.#badge(viewer.access) : ''],
      [
        'credentials',
        credentials
          ? t('credential_summary', { source: t(credentials.source), kinds: kinds.join(' + ') || t('none') })
          : '',
      ],
      ['expires', credentials?.expiresAt ? new Date(credentials.expiresAt).toLocaleString(this.#locale.lang) : '—'],
      ['connection', `${this.#room.hls ? 'HLS' : 'WebRTC'} · ${this.state}`],
    ]
    return html`<dl part="connection-info" style=${viewer ? '' : 'visibility:hidden'}>
      ${rows.map(([key, value]) => html`<dt>${t(key)}</dt><dd>${value}</dd>`)}
    </dl>`
  }

  protected override render(): unknown {
    const { t } = this.#locale
    const viewer = this.#credentials.value
    const session = viewer?.session
    const { state } = this.#room
    const idle = state === 'playing' && this.#player.idle && !this.#player.paused
    return html`
      <header part="header">
        <h2 part="title">${session?.title}</h2>
        <p part="influencer">${session ? html`${session.influencer.name} <span>@${session.influencer.handle}</span>` : nothing}</p>
        <span part="badge" class="badge">${viewer ? this.#badge(viewer.access) : nothing}</span>
      </header>
      <div part="stage" class="stage ${idle ? 'idle' : ''}" role="group" aria-label=${t('player', { title: session?.title ?? '' })}
        tabindex=${state === 'playing' ? '0' : nothing} @pointermove=${this.#player.wake} @pointerdown=${this.#player.wake} @pointerleave=${this.#player.rest}>
        <video part="video" muted autoplay playsinline></video>
        ${this.#renderOverlay(state)}
        ${state === 'playing' ? renderControls(this.#player, this.#locale) : nothing}
      </div>
      ${this.#renderInfo(viewer)}
    `
  }
}

customElements.get('live-stream-viewer') || customElements.define('live-stream-viewer', LiveStreamViewer)

declare global {
  interface HTMLElementTagNameMap {
    'live-stream-viewer': LiveStreamViewer
  }
}
