/**
 * The demo of `npm start` (`serve --demo` on an empty database: the real server seeds its three
 * demo influencers and serves the demo pages with their CSP) in headless Chromium: `/` lists the
 * demo influencers with their badges without loading SDK code; a Watch link opens
 * `/watch?session=<id>`, where the real bundled SDK, with no network to 100ms, ends in
 * connection_failed. No fake anywhere: the SDK is the real one.
 */
import { describe, expect, it } from 'vitest'
import { seriousViolations } from './support/axe.js'
import { startDemoServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'

const env = useBrowserAndServer(startDemoServer)

describe('demo pages', () => {
  it('/ shows the three demo influencers with their badges; Watch opens the viewer, which fails cleanly offline', async () => {
    const context = await env.browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    const consoleText: string[] = []
    page.on('console', (m) => {
      consoleText.push(m.text())
      const url = new URL(m.location().url || 'http://x')
      const offline100ms = m.text().startsWith('Failed to load resource') && /100ms\.live$/.test(url.hostname)
      if (m.type() === 'error' && !offline100ms) errors.push(`${m.text()} ${url.href}`)
    })
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${env.server.url}/`)
    const list = page.locator('live-stream-list')
    await list.locator('[part="item"]').nth(2).waitFor()
    const rows = await list
      .locator('[part="item"]')
      .evaluateAll((items) =>
        items.map((item) => [
          item.querySelector('[part="influencer"]')!.textContent!.trim(),
          item.querySelector('[part="badge"]')!.textContent,
        ]),
      )
    expect(rows.sort()).toEqual([
      [expect.stringContaining('Demo Ada (ready)'), '✅ Ready'],
      [expect.stringContaining('Demo Bo (limited)'), '⚠️ Limited'],
      [expect.stringContaining('Demo Cy (not configured)'), '❌ Not configured'],
    ])
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))
    expect(loaded.some((u) => /hms-sdk-adapter|hls-playback|\/chunks\/dist-/.test(u))).toBe(false)
    expect(await seriousViolations(page)).toEqual([])

    const ada = env.server.sessions.find((session) => session.handle === 'demo-ada')!
    await list.getByRole('link', { name: /Watch Ada codes live/ }).click()
    await page.waitForURL(`${env.server.url}/watch?session=${ada.sessionId}`)
    await page.waitForFunction(
      () => document.querySelector('live-stream-viewer')?.getAttribute('state') === 'error',
      null,
      { timeout: 15_000 },
    )
    expect(await page.locator('live-stream-viewer [part="status"]').textContent()).toMatch(
      /check your internet connection/i,
    )
    expect(await page.locator('live-stream-viewer [part="title"]').textContent()).toBe('Ada codes live')
    expect(await page.locator('live-stream-viewer [part="badge"]').textContent()).toBe('✅ Ready')
    expect(await seriousViolations(page)).toEqual([])
    expect(errors).toEqual([])
    const all = consoleText.join('\n')
    expect(all).not.toMatch(/eyJ[\w-]{10,}/)
    expect(all).not.toContain('dem-oada-vwr')
    await context.close()
  }, 60_000)

  it('stays readable in a dark color scheme (axe color contrast included)', async () => {
    const context = await env.browser.newContext({ colorScheme: 'dark' })
    const page = await context.newPage()
    await page.goto(`${env.server.url}/`)
    await page.locator('live-stream-list [part="item"]').nth(2).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    const ada = env.server.sessions.find((session) => session.handle === 'demo-ada')!
    await page.goto(`${env.server.url}/watch?session=${ada.sessionId}`)
    await page.waitForFunction(
      () => document.querySelector('live-stream-viewer')?.getAttribute('state') === 'error',
      null,
      { timeout: 15_000 },
    )
    expect(await seriousViolations(page)).toEqual([])
    await context.close()
  }, 60_000)
})
