/**
 * The demo pages of `serve --demo` (served by the real request handler, with their CSP) in
 * headless Chromium: `/` lists the streams without loading SDK code; a Watch link opens
 * `/watch?session=<id>`, where the real bundled SDK, with no network to 100ms, ends in
 * connection_failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { ensureWidgetBuilt, launchBrowser } from './support/browser.js'
import { startTestServer } from './support/test-server.js'
import type { TestServer } from './support/test-server.js'

let browser: Browser
let server: TestServer

// The first run after a source change builds widget/dist (slow under load).
beforeAll(async () => {
  ensureWidgetBuilt()
  ;[browser, server] = await Promise.all([launchBrowser(), startTestServer({ demo: true })])
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('demo pages', () => {
  it('/ shows the list without SDK code; Watch opens the viewer, which fails cleanly offline', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (m) => {
      const url = new URL(m.location().url || 'http://x')
      const offline100ms = m.text().startsWith('Failed to load resource') && /100ms\.live$/.test(url.hostname)
      // Chromium asks for /favicon.ico itself; the demo pages declare none (not the widget's).
      const favicon = url.pathname === '/favicon.ico'
      if (m.type() === 'error' && !offline100ms && !favicon) errors.push(`${m.text()} ${url.href}`)
    })
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${server.url}/`)
    const watch = page.locator('live-stream-list').getByRole('link', { name: /Watch Morning run/ })
    await watch.waitFor()
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))
    expect(loaded.some((u) => /hms-sdk-adapter|hls-playback|\/chunks\/dist-/.test(u))).toBe(false)
    await watch.click()
    await page.waitForURL(`${server.url}/watch?session=${server.ids.ready}`)
    await page.waitForFunction(() => document.querySelector('live-stream-viewer')?.getAttribute('state') === 'error', null, { timeout: 15_000 })
    expect(await page.locator('live-stream-viewer [part="status"]').textContent()).toMatch(/check your internet connection/i)
    expect(await page.locator('live-stream-viewer [part="title"]').textContent()).toBe('Morning run')
    expect(errors).toEqual([])
    await context.close()
  }, 40_000)
})
