import { LitElement, css, html, nothing } from 'lit'
import type { PropertyValues } from 'lit'
import { ACCESS_STATUS_BADGES } from '@hms-admin/core'
import type { LiveStreamSummary } from '@hms-admin/core'
import { fetchJson } from './fetch-json.js'
import { LocaleController } from './locale-controller.js'
import type { Messages } from './messages-en.js'

/**
 * Lists the live streams of the hms-admin endpoint with their access badge (✅ Ready /
 * ⚠️ Limited / ❌ Not configured) and a Watch link, refreshed every `refresh-seconds`.
 * Loads no SDK code. Texts come from the same catalogue and language rules as
 * `<live-stream-viewer>`, and `messages` overrides any of them.
 *
 * @summary The live streams of an hms-admin endpoint, with Watch links.
 * @csspart list - The `<ul>` of streams.
 * @csspart item - One stream.
 * @csspart title - A stream's title.
 * @csspart influencer - A stream's influencer.
 * @csspart badge - A stream's access badge.
 * @csspart watch-link - A stream's Watch link.
 * @csspart status - The `aria-live` status line (loading, empty and error states).
 * @cssprop [--live-stream-font=system-ui, sans-serif] - Font family.
 * @cssprop [--live-stream-color=currentColor] - Text color (default: the page's, as the list has no background of its own).
 * @cssprop [--live-stream-accent=#0b57d0] - Link color.
 * @cssprop [--live-stream-error=#b3261e] - Error text color.
 */
export class LiveStreamList extends LitElement {
  static override styles = css`
    :host { display: block; font-family: var(--live-stream-font, system-ui, sans-serif); color: var(--live-stream-color, currentColor); }
    ul { list-style: none; padding: 0; margin: 0; }
    li { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; padding: 8px 0; border-bottom: 1px solid #d0d0d0; }
    .title { font-weight: 600; }
    a { color: var(--live-stream-accent, light-dark(#0b57d0, #a8c7fa)); font-weight: 600; }
    a:focus-visible { outline: 3px solid currentColor; outline-offset: 2px; }
    .error { color: var(--live-stream-error, light-dark(#b3261e, #f2b8b5)); }
  `

  static override properties = {
    apiBase: { attribute: 'api-base' },
    watchHref: { attribute: 'watch-href' },
    refreshSeconds: { attribute: 'refresh-seconds', type: Number },
    messages: { attribute: false },
  }

  /** Base URL of the hms-admin API. */
  apiBase = '/api'

  /** Link of the Watch buttons; `{sessionId}` is replaced by the session's id. */
  watchHref = '/watch?session={sessionId}'

  /** Seconds between refreshes; 0 turns refreshing off. */
  refreshSeconds = 15

  /** Texts that replace built-in ones, by message key; any subset (missing keys stay built in). */
  messages: Partial<Messages> | null = null

  #streams: LiveStreamSummary[] | null = null
  #error: { code: string; message: string | null } | null = null
  readonly #locale = new LocaleController(this)
  #timer: ReturnType<typeof setTimeout> | undefined
  #abort: AbortController | null = null

  override connectedCallback(): void {
    super.connectedCallback()
    void this.refresh()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    clearTimeout(this.#timer)
    this.#abort?.abort()
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messages')) this.#locale.override(this.messages)
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('apiBase') && changed.get('apiBase') !== undefined) void this.refresh()
  }

  /** Fetches the list now (and schedules the next refresh). */
  async refresh(): Promise<void> {
    clearTimeout(this.#timer)
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    try {
      const result = await fetchJson<{ streams: LiveStreamSummary[] }>(
        `${this.apiBase.replace(/\/+$/, '')}/live-streams`,
        abort.signal,
      )
      if (result.ok) this.#streams = result.body.streams
      this.#error = result.ok ? null : { code: result.code, message: result.message }
      this.requestUpdate()
    } catch {
      return // aborted
    }
    if (this.isConnected && this.refreshSeconds > 0)
      this.#timer = setTimeout(() => void this.refresh(), this.refreshSeconds * 1000)
  }

  #status(streams: LiveStreamSummary[] | null): string {
    const { t } = this.#locale
    const error = this.#error
    if (error) return this.#locale.error(error.code, error.message)
    if (!streams) return t('list_loading')
    return streams.length ? t('list_count', { count: streams.length }) : t('list_empty')
  }

  protected override render(): unknown {
    const { t } = this.#locale
    const streams = this.#streams
    return html`
      <p part="status" class=${this.#error ? 'error' : ''} role="status">${this.#status(streams)}</p>
      ${
        streams?.length
          ? html`<ul part="list">
            ${streams.map(
              (s) => html`<li part="item" data-session-id=${s.sessionId}>
                <span part="title" class="title">${s.title}</span>
                <span part="influencer">${s.influencer.name} @${s.influencer.handle}</span>
                <span part="badge">${ACCESS_STATUS_BADGES[s.access]?.emoji} ${t(s.access)}</span>
                <a part="watch-link" href=${this.watchHref.replaceAll('{sessionId}', encodeURIComponent(s.sessionId))} aria-label=${t('watch_label', { title: s.title, name: s.influencer.name })}>${t('watch')}</a>
              </li>`,
            )}
          </ul>`
          : nothing
      }
    `
  }
}

customElements.get('live-stream-list') || customElements.define('live-stream-list', LiveStreamList)

declare global {
  interface HTMLElementTagNameMap {
    'live-stream-list': LiveStreamList
  }
}
