/**
 * The viewer credentials of one session, fetched from the hms-admin endpoint and kept fresh.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { ViewerCredentialsResponse } from '@hms-admin/core'
import { fetchJson } from './fetch-json.js'
import type { FetchJsonResult } from './fetch-json.js'

/** Refresh credentials this long before they expire. */
const REFRESH_BEFORE_EXPIRY_MS = 60_000
/** Never refresh sooner than this after a fetch (an answer that is already about to expire). */
const MIN_REFRESH_DELAY_MS = 5_000
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2_147_483_647

/**
 * Fetches `GET <api-base>/live-streams/<id>/viewer` and re-fetches it a minute before
 * `credentials.expiresAt`, once per later expiry (an answer with the same expiry schedules
 * nothing, so a server that cannot renew is not polled). Stops when the host disconnects.
 */
export class CredentialsController implements ReactiveController {
  /** The endpoint's last answer for the current session, or null. */
  value: ViewerCredentialsResponse | null = null
  #abort: AbortController | null = null
  #timer: ReturnType<typeof setTimeout> | undefined

  readonly #host: ReactiveControllerHost
  readonly #url: () => string

  /** `url` gives the credentials URL of the current session. */
  constructor(host: ReactiveControllerHost, url: () => string) {
    this.#host = host
    this.#url = url
    host.addController(this)
  }

  hostDisconnected(): void {
    this.clear()
  }

  /**
   * Fetches the credentials now (cancelling any fetch in flight). Resolves to the result, or to
   * null when a later `load()` or `clear()` superseded this one. Requests no update of the host:
   * the caller does, after starting what the answer allows (a render first would delay that).
   */
  async load(): Promise<FetchJsonResult<ViewerCredentialsResponse> | null> {
    this.#cancel()
    const abort = (this.#abort = new AbortController())
    const result = await this.#fetch(abort.signal)
    if (result?.ok) this.#accept(result.body, abort, Number.NaN)
    return result
  }

  /** Forgets the credentials and cancels any fetch or refresh. */
  clear(): void {
    this.#cancel()
    this.value = null
    this.#host.requestUpdate()
  }

  #cancel(): void {
    this.#abort?.abort()
    this.#abort = null
    clearTimeout(this.#timer)
  }

  async #fetch(signal: AbortSignal): Promise<FetchJsonResult<ViewerCredentialsResponse> | null> {
    const result = await fetchJson<ViewerCredentialsResponse>(this.#url(), signal).catch(() => null)
    return signal.aborted ? null : result
  }

  /** Takes an answer; schedules a refresh unless it expires no later than `previous` (ms). */
  #accept(value: ViewerCredentialsResponse, abort: AbortController, previous: number): void {
    this.value = value
    const expiresAt = Date.parse(value.credentials.expiresAt ?? '')
    if (!Number.isFinite(expiresAt) || expiresAt <= previous) return
    const delay = expiresAt - Date.now() - REFRESH_BEFORE_EXPIRY_MS
    this.#timer = setTimeout(
      async () => {
        const result = await this.#fetch(abort.signal)
        if (!result?.ok) return
        this.#accept(result.body, abort, expiresAt)
        this.#host.requestUpdate()
      },
      Math.min(MAX_TIMER_MS, Math.max(MIN_REFRESH_DELAY_MS, delay)),
    )
  }
}
