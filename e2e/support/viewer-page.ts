/**
 * Test helper: a page with one `<live-stream-viewer>` driven by the fake SDK adapter
 * (fake-sdk.ts: only the 100ms network is replaced), and small readers of its shadow DOM.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { openTestPage, widgetPage } from './browser.js'
import type { TestPage } from './browser.js'
import { FAKE_SDK_SCRIPT } from './fake-sdk.js'
import { routeHlsStream } from './hls-stream.mjs'

/** How to open the viewer page. */
export interface ViewerPageOptions {
  /** Script run before the viewer is created (e.g. `window.fakeSdk.receivesWebrtcMedia = false`). */
  setup?: string
  /** Attributes of the viewer besides api-base, user-name, join-timeout and session-id. */
  attributes?: Record<string, string>
  /** The document's language (default `en`; `null` for none). */
  lang?: string | null
  /** Markup added to the page's head. */
  head?: string
  /** Markup after the viewer in `<main>` (to see whether it moves). */
  after?: string
  context?: BrowserContextOptions
  initScript?: string
}

/**
 * Opens a page with the fake SDK, then appends one viewer for `sessionId` (none when empty) to
 * `<main>`; its `live-stream-state` and `live-stream-error` events are logged in `window.events`.
 */
export async function openViewerPage(
  browser: Browser,
  baseUrl: string,
  sessionId: string,
  options: ViewerPageOptions = {},
): Promise<TestPage> {
  const html = widgetPage({
    fakeSdk: FAKE_SDK_SCRIPT,
    script: options.setup ?? '',
    lang: options.lang,
    head: options.head,
    body: options.after ? `<div id="slot"></div>${options.after}` : '',
  })
  const tp = await openTestPage(browser, baseUrl, html, { context: options.context, initScript: options.initScript })
  await tp.page.waitForFunction(() => (window as unknown as { widgetReady?: boolean }).widgetReady === true)
  await tp.page.evaluate(
    ({ id, attributes }) => {
      const viewer = document.createElement('live-stream-viewer')
      const all: Record<string, string> = { 'api-base': '/api', 'user-name': 'Test viewer', 'join-timeout': '3000' }
      for (const [name, value] of Object.entries({ ...all, ...attributes })) viewer.setAttribute(name, value)
      const log: unknown[] = []
      ;(window as unknown as { events: unknown[] }).events = log
      viewer.addEventListener('live-stream-state', (e) => log.push(['state', e.detail.state]))
      viewer.addEventListener('live-stream-error', (e) => log.push(['error', e.detail.code, e.detail.retryable]))
      if (id) viewer.setAttribute('session-id', id)
      const slot = document.getElementById('slot')
      if (slot) slot.replaceWith(viewer)
      else document.querySelector('main')!.append(viewer)
    },
    { id: sessionId, attributes: options.attributes ?? {} },
  )
  return tp
}

/** Waits until the viewer's `state` attribute is `state`. */
export async function waitForState(page: Page, state: string): Promise<void> {
  await page.waitForFunction((s) => document.querySelector('live-stream-viewer')?.getAttribute('state') === s, state, {
    timeout: 10_000,
  })
}

/** The text of the viewer's status message. */
export function status(page: Page): Promise<string> {
  return page.evaluate(() =>
    document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="status"]')!.textContent!.trim(),
  )
}

/** The text of the viewer's first element with `part` `name`, or null when there is none. */
export function part(page: Page, name: string): Promise<string | null> {
  return page.evaluate(
    (n) =>
      document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector(`[part~="${n}"]`)?.textContent?.trim() ??
      null,
    name,
  )
}

/** The calls the fake SDK recorded, in order. */
export function calls(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { fakeSdk: { calls: string[] } }).fakeSdk.calls)
}

/** The viewer's logged events: `['state', state]` and `['error', code, retryable]`. */
export function events(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { events: unknown[] }).events)
}

/**
 * Joins as an HLS viewer of the stream in `dir` (routed to the page; the fake reports its URL)
 * and waits until the `<video>` shows a frame of it and plays. Resolves to the stream's request counts.
 */
export async function playHls(page: Page, dir: string): Promise<Map<string, number>> {
  const { url, requests } = await routeHlsStream(page, dir)
  await waitForState(page, 'waiting')
  await page.evaluate(
    (u) => (window as unknown as { fakeSdk: { last: { setHlsUrl(u: string): void } } }).fakeSdk.last.setHlsUrl(u),
    url,
  )
  await waitForState(page, 'playing')
  await page.waitForFunction(
    () => {
      // A frame (HAVE_CURRENT_DATA) comes before autoplay starts (at HAVE_ENOUGH_DATA): wait for both.
      const video = document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('video')!
      return video.readyState >= 2 && !video.paused
    },
    null,
    { timeout: 15_000 },
  )
  return requests
}
