/**
 * Test helper: real headless Chromium through playwright-core, plus a page on the server's origin
 * whose HTML the test provides (served through `page.route`, so the real `/api` and `/widget`
 * routes of the server under test stay untouched).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContextOptions, ConsoleMessage, Page } from 'playwright-core'

export const WIDGET_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'widget')
export const WIDGET_DIST = join(WIDGET_DIR, 'dist')

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Launches Debian's Chromium (installed by `.ci/run`). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const stat = statSync(path)
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs)
  }
  return newest
}

/** Builds widget/dist when it is missing or older than widget/src (`npm test` builds it first anyway). */
export function ensureWidgetBuilt(): void {
  const entry = join(WIDGET_DIST, 'live-stream-viewer.js')
  const fresh = () => existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(WIDGET_DIR, 'src'))
  if (fresh()) return
  // Test files run in parallel workers: one builds, the others wait for it.
  const lock = join(WIDGET_DIR, '.build-lock')
  try {
    mkdirSync(lock)
  } catch {
    const until = Date.now() + 230_000
    while (existsSync(lock) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    return
  }
  try {
    if (!fresh()) execFileSync('npx', ['rollup', '-c', 'rollup.config.js'], { cwd: WIDGET_DIR, stdio: 'ignore' })
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** A console message seen by the page. */
export interface SeenMessage {
  type: string
  text: string
  url: string
}

/** An open test page and what it logged. */
export interface TestPage {
  page: Page
  messages: SeenMessage[]
  pageErrors: string[]
  /** The console errors `keep` accepts (default all), e.g. all but Chromium's lines for failed requests. */
  consoleErrors(keep?: (message: SeenMessage) => boolean): SeenMessage[]
  close(): Promise<void>
}

/**
 * Opens `path` on `baseUrl`'s origin with `html` as its document; `/api` and `/widget` requests go
 * to the real server.
 */
export async function openTestPage(
  browser: Browser,
  baseUrl: string,
  html: string,
  options: { path?: string; initScript?: string; context?: BrowserContextOptions } = {},
): Promise<TestPage> {
  const path = options.path ?? '/__widget-test__/page.html'
  const context = await browser.newContext(options.context)
  const page = await context.newPage()
  if (options.initScript) await page.addInitScript(options.initScript)
  const messages: SeenMessage[] = []
  const pageErrors: string[] = []
  page.on('console', (message: ConsoleMessage) =>
    messages.push({ type: message.type(), text: message.text(), url: message.location().url }),
  )
  page.on('pageerror', (error) => pageErrors.push(String(error)))
  await page.route(`${baseUrl}/__widget-test__/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: html }),
  )
  await page.goto(`${baseUrl}${path}`)
  return {
    page,
    messages,
    pageErrors,
    consoleErrors: (keep = () => true) => messages.filter((m) => m.type === 'error').filter(keep),
    close: () => context.close(),
  }
}

/**
 * A minimal page that loads the widget bundle and, when `fakeSdk` is given, installs the fake.
 * `lang` is the document's language (`null`: none, so the browser's applies); `head` adds markup
 * to the head (e.g. a color-scheme meta).
 */
export function widgetPage(
  options: { body?: string; fakeSdk?: string; script?: string; lang?: string | null; head?: string } = {},
): string {
  const lang = options.lang === undefined ? 'en' : options.lang
  return `<!doctype html>
<html${lang === null ? '' : ` lang="${lang}"`}>
<head><meta charset="utf-8"><title>Widget test</title><link rel="icon" href="data:,">${options.head ?? ''}</head>
<body>
<main>
<h1>Widget test</h1>
${options.body ?? ''}
</main>
<script>${options.fakeSdk ?? ''}</script>
<script type="module">
import { LiveStreamViewer } from '/widget/live-stream-viewer.js'
${options.fakeSdk ? 'LiveStreamViewer.adapterFactory = () => window.fakeSdk.create()' : ''}
${options.script ?? ''}
window.widgetReady = true
</script>
</body>
</html>`
}
