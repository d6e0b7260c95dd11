/**
 * `<live-stream-viewer>` with the REAL bundled 100ms SDK (the lazy chunk of widget/dist) in
 * headless Chromium, with no network to 100ms: joining must end in `error` / `connection_failed`
 * with the internet message within a bounded time, without the SDK's join deadlock (see
 * src/hms-sdk-adapter.ts) spawning workers, and without the token in the console.
 */
import { describe, expect, it } from 'vitest'
import { openTestPage, widgetPage } from './support/browser.js'
import type { SeenMessage } from './support/browser.js'
import { LIMITED_ROOM_CODE, READY_ROOM_CODE, startTestServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'

const env = useBrowserAndServer(startTestServer)

/** Counts workers the page creates (the SDK sleeps through one-shot Blob workers). */
const COUNT_WORKERS = `(() => {
  const Original = window.Worker
  window.workersCreated = 0
  window.Worker = class extends Original { constructor(...args) { super(...args); window.workersCreated++ } }
})()`

/** Chromium's own line for a request to 100ms that could not resolve (there is no network). */
const isOfflineRequestTo100ms = (m: SeenMessage): boolean =>
  m.text.startsWith('Failed to load resource') && /(^|\.)100ms\.live$/.test(m.url ? new URL(m.url).hostname : '')

describe('live-stream-viewer with the real bundled SDK and no network', () => {
  it.each([
    ['a token', () => env.server.ids.ready],
    ['a room code only', () => env.server.ids.limited],
  ])(
    'joining with %s ends in connection_failed with the internet message in bounded time',
    async (_label, id) => {
      const html = widgetPage({
        body: `<live-stream-viewer session-id="${id()}" api-base="/api" join-timeout="60000"></live-stream-viewer>`,
      })
      const tp = await openTestPage(env.browser, env.server.url, html, { initScript: COUNT_WORKERS })
      const { page } = tp
      const pageUrl = page.url()
      const events: string[] = []
      await page.exposeFunction('recordEvent', (e: string) => events.push(e))
      await page.evaluate(() => {
        const viewer = document.querySelector('live-stream-viewer')!
        viewer.addEventListener('live-stream-error', (e) => (window as any).recordEvent((e as CustomEvent).detail.code))
      })
      // Bounded well below the 60 s join timeout: the failure itself must be recognized.
      await page.waitForFunction(
        () => document.querySelector('live-stream-viewer')?.getAttribute('state') === 'error',
        null,
        { timeout: 15_000 },
      )
      const text = await page.evaluate(
        () => document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="status"]')!.textContent,
      )
      expect(text).toMatch(/check your internet connection/i)
      await page.waitForFunction(
        () => document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="retry-button"]') !== null,
      )
      expect(events).toContain('connection_failed')
      // The SDK was really loaded (lazily) and really tried to reach 100ms.
      const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))
      expect(resources.some((u) => /\/widget\/chunks\/hms-sdk-adapter-/.test(u))).toBe(true)
      expect(tp.messages.some(isOfflineRequestTo100ms)).toBe(true)
      // No deadlock left behind: no worker churn, the page stays open and responsive.
      const workers = await page.evaluate(() => (window as any).workersCreated as number)
      await page.waitForTimeout(3_000)
      expect(await page.evaluate(() => (window as any).workersCreated as number)).toBeLessThanOrEqual(workers + 1)
      expect(page.isClosed()).toBe(false)
      expect(page.url()).toBe(pageUrl)
      expect(await page.evaluate(() => document.querySelector('live-stream-viewer')!.getAttribute('state'))).toBe(
        'error',
      )
      // Retry (keyboard) joins again with the same SDK instance and fails just as cleanly.
      await page.locator('live-stream-viewer').getByRole('button', { name: 'Retry' }).press('Enter')
      await expect.poll(() => events.filter((e) => e === 'connection_failed').length, { timeout: 15_000 }).toBe(2)
      expect(await page.evaluate(() => document.querySelector('live-stream-viewer')!.getAttribute('state'))).toBe(
        'error',
      )
      expect(page.url()).toBe(pageUrl)
      const afterRetry = await page.evaluate(() => (window as any).workersCreated as number)
      await page.waitForTimeout(2_000)
      expect(await page.evaluate(() => (window as any).workersCreated as number)).toBeLessThanOrEqual(afterRetry + 1)
      // No console errors of the page's own, and no secret anywhere in the console.
      expect(tp.pageErrors).toEqual([])
      expect(tp.consoleErrors((m) => !isOfflineRequestTo100ms(m))).toEqual([])
      const all = tp.messages.map((m) => m.text).join('\n')
      expect(all).not.toMatch(/eyJ[\w-]{10,}/)
      expect(all).not.toContain(READY_ROOM_CODE)
      expect(all).not.toContain(LIMITED_ROOM_CODE)
      await tp.close()
    },
    60_000,
  )
})
