/**
 * The language of an element and the texts it shows (see `messages-en.ts` for the catalogue).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { EN_MESSAGES } from './messages-en.js'
import type { MessageKey, Messages } from './messages-en.js'

/** The catalogues loaded on demand, by primary language subtag (each is its own chunk). */
const CATALOGUES = new Map<string, () => Promise<{ messages: Messages }>>([
  ['es', () => import('./locales/es.js')],
  ['hi', () => import('./locales/hi.js')],
  // Brazilian Portuguese is the Portuguese there is: closer for pt-PT readers than English.
  ['pt', () => import('./locales/pt-br.js')],
])

/** The language asked for: the element's `lang`, its nearest ancestor's (across shadow roots), or the browser's. */
function requestedLanguage(element: Element): string {
  for (let node: Node | null = element; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    const lang = node instanceof Element ? node.getAttribute('lang') : null
    if (lang) return lang
  }
  return navigator.language
}

/**
 * Picks the element's language (its `lang` attribute, then the nearest ancestor's, then
 * `navigator.language`, else English), loads that catalogue lazily, follows `lang` changes,
 * and answers texts with the page's overrides first and English for anything missing.
 */
export class LocaleController implements ReactiveController {
  /** The BCP 47 tag the texts are in (`en` until another catalogue has loaded). */
  lang = 'en'
  #wanted = 'en'
  #catalogue: Partial<Messages> = {}
  #overrides: Partial<Record<string, unknown>> = {}
  readonly #observer = new MutationObserver(() => void this.#resolve())

  readonly #host: ReactiveControllerHost & HTMLElement

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host
    host.addController(this)
  }

  hostConnected(): void {
    this.#observer.observe(document.documentElement, { attributeFilter: ['lang'], subtree: true })
    this.#observer.observe(this.#host, { attributeFilter: ['lang'] })
    void this.#resolve()
  }

  hostDisconnected(): void {
    this.#observer.disconnect()
  }

  /** Replaces any messages by key; a value that is not an object is ignored with a warning. */
  override(messages: unknown): void {
    const valid = typeof messages === 'object' && !Array.isArray(messages)
    if (!valid && messages !== undefined) {
      // biome-ignore lint/suspicious/noConsole: the page author's only hint that their messages were ignored
      console.warn(`<${this.#host.localName}>: messages must be an object of texts by key; ignored.`)
    }
    this.#overrides = valid && messages ? (messages as Record<string, unknown>) : {}
  }

  /** The text of `key`, with each `{name}` replaced by `values[name]` (a bound function). */
  readonly t = (key: MessageKey, values: Record<string, string | number> = {}): string => {
    const own = this.#overrides[key]
    const text = typeof own === 'string' ? own : (this.#catalogue[key] ?? EN_MESSAGES[key])
    return text.replace(/\{(\w+)\}/g, (match, name: string) => String(values[name] ?? match))
  }

  /** The sentence for an error code; the endpoint's own message for a code the catalogue lacks. */
  error(code: string, serverMessage: string | null = null): string {
    return code in EN_MESSAGES ? this.t(code as MessageKey) : (serverMessage ?? this.t('connection_failed'))
  }

  async #resolve(): Promise<void> {
    const requested = requestedLanguage(this.#host)
    const load = CATALOGUES.get(requested.toLowerCase().split('-')[0] ?? '')
    const lang = load ? requested : 'en'
    if (lang === this.#wanted) return
    this.#wanted = lang
    // A catalogue that fails to load leaves English in place.
    const catalogue = load ? ((await load().catch(() => null))?.messages ?? {}) : {}
    if (this.#wanted !== lang) return // another language was asked for meanwhile
    this.lang = lang
    this.#catalogue = catalogue
    this.#host.requestUpdate()
  }
}
