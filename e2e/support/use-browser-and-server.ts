import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import { ensureWidgetBuilt, launchBrowser } from './browser.js'

/**
 * Registers the suite's set-up: builds widget/dist when stale (slow under load, hence the long
 * timeout), launches Chromium and starts a server; both are closed after the suite. The returned
 * object holds them once `beforeAll` has run.
 */
export function useBrowserAndServer<S extends { close(): Promise<void> }>(
  start: () => Promise<S>,
): { browser: Browser; server: S } {
  const env = {} as { browser: Browser; server: S }
  beforeAll(async () => {
    ensureWidgetBuilt()
    ;[env.browser, env.server] = await Promise.all([launchBrowser(), start()])
  }, 240_000)
  afterAll(async () => {
    await env.browser?.close()
    await env.server?.close()
  })
  return env
}
