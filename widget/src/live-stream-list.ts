import { LitElement, css, html, nothing } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import type { LiveStreamSummary } from '@hms-admin/core'
import { fetchJson } from './fetch-json.js'
import { badgeText, errorMessage } from './messages.js'

/**
 * Lists the live streams of the hms-admin endpoint with their access badge (✅ Ready /
 * ⚠️ Limited / ❌ Not configured) and a Watch link, refreshed every `refresh-seconds`.
 * Loads no SDK code.
 *
 * @tag live-stream-list
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
@customElement('live-stream-list')
export class LiveStreamList extends LitElement {
  static override styles = css`
    :host { display: block; font-family: var(--live-stream-font, system-ui, sans-serif); color: var(--live-stream-color, currentColor); }
    ul { list-style: none; padding: 0; margin: 0; }
    li { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; padding: 8px 0; border-bottom: 1px solid #d0d0d0; }
    .title { font-weight: 600; }
    a { color: var(--live-stream-accent, #0b57d0); font-weight: 600; }
    a:focus-visible { outline: 3px solid currentColor; outline-offset: 2px; }
    .status.error { color: var(--live-stream-error, #b3261e); }
  `

  /** Base URL of the hms-admin API. */
  @property({ attribute: 'api-base' }) apiBase = '/api'

  /** Link of the Watch buttons; `{sessionId}` is replaced by the session's id. */
  @property({ attribute: 'watch-href' }) watchHref = '/watch?session={sessionId}'

  /** Seconds between refreshes; 0 turns refreshing off. */
  @property({ attribute: 'refresh-seconds', type: Number }) refreshSeconds = 15

  @state() private streams: LiveStreamSummary[] | null = null
  @state() private error: string | null = null

  private timer: ReturnType<typeof setTimeout> | undefined
  private abort: AbortController | null = null

  override connectedCallback(): void {
    super.connectedCallback()
    void this.refresh()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    clearTimeout(this.timer)
    this.abort?.abort()
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('apiBase') && changed.get('apiBase') !== undefined) void this.refresh()
  }

  /** Fetches the list now (and schedules the next refresh). */
  async refresh(): Promise<void> {
    clearTimeout(this.timer)
    this.abort?.abort()
    const abort = (this.abort = new AbortController())
    try {
      const result = await fetchJson<{ streams: LiveStreamSummary[] }>(
        `${this.apiBase.replace(/\/+$/, '')}/live-streams`,
        abort.signal,
      )
      if (result.ok) {
        this.streams = result.body.streams
        this.error = null
      } else {
        this.error = errorMessage(result.code, result.message)
      }
    } catch {
      return // aborted
    }
    if (this.isConnected && this.refreshSeconds > 0)
      this.timer = setTimeout(() => void this.refresh(), this.refreshSeconds * 1000)
  }

  private href(sessionId: string): string {
    return this.watchHref.replaceAll('{sessionId}', encodeURIComponent(sessionId))
  }

  protected override render(): unknown {
    const streams = this.streams
    const status =
      this.error ??
      (streams === null
        ? 'Loading live streams…'
        : streams.length === 0
          ? 'No one is live right now.'
          : `${streams.length} live now`)
    return html`
      <p part="status" class="status ${this.error ? 'error' : ''}" role="status" aria-live="polite">${status}</p>
      ${
        streams && streams.length > 0
          ? html`<ul part="list">
            ${streams.map(
              (s) => html`<li part="item" data-session-id=${s.sessionId}>
                <span part="title" class="title">${s.title}</span>
                <span part="influencer">${s.influencer.name} @${s.influencer.handle}</span>
                <span part="badge" class="badge ${s.access}">${badgeText(s.access)}</span>
                <a part="watch-link" href=${this.href(s.sessionId)} aria-label=${`Watch ${s.title} by ${s.influencer.name}`}>Watch</a>
              </li>`,
            )}
          </ul>`
          : nothing
      }
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'live-stream-list': LiveStreamList
  }
}
