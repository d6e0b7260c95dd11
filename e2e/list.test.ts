/**
 * `<live-stream-list>` in real headless Chromium against the hms-admin endpoint
 * (support/test-server.ts): badges, Watch links, empty and error states; no SDK code loaded.
 */
import { describe, expect, it } from 'vitest'
import { openTestPage } from './support/browser.js'
import { startTestServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'

const env = useBrowserAndServer(startTestServer)

function listPage(attrs: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>List</title><link rel="icon" href="data:,"></head>
<body><main><h1>Live now</h1><live-stream-list ${attrs}></live-stream-list></main>
<script type="module" src="/widget/live-stream-list.js"></script></body></html>`
}

describe('live-stream-list', () => {
  it('shows the three influencers with ✅ Ready, ⚠️ Limited and ❌ Not configured badges and Watch links', async () => {
    const tp = await openTestPage(
      env.browser,
      env.server.url,
      listPage('api-base="/api" watch-href="/watch?session={sessionId}"'),
    )
    const { page } = tp
    await page.waitForFunction(
      () => (document.querySelector('live-stream-list')?.shadowRoot?.querySelectorAll('[part="item"]').length ?? 0) > 0,
    )
    const rows = await page.evaluate(() =>
      [...document.querySelector('live-stream-list')!.shadowRoot!.querySelectorAll('[part="item"]')].map((li) => ({
        id: li.getAttribute('data-session-id'),
        influencer: li.querySelector('[part="influencer"]')!.textContent,
        badge: li.querySelector('[part="badge"]')!.textContent,
        href: li.querySelector('a')!.getAttribute('href'),
      })),
    )
    const byName = (name: string) => rows.find((r) => r.influencer?.includes(name))
    expect(byName('Ava Stone')).toMatchObject({ badge: '✅ Ready', href: `/watch?session=${env.server.ids.ready}` })
    expect(byName('Ben Ortiz')).toMatchObject({ badge: '⚠️ Limited', href: `/watch?session=${env.server.ids.limited}` })
    expect(byName('Cleo Park')).toMatchObject({
      badge: '❌ Not configured',
      href: `/watch?session=${env.server.ids.notConfigured}`,
    })
    // Only live sessions are listed.
    expect(rows.some((r) => r.id === env.server.ids.ended)).toBe(false)
    // Loads Lit and the list only: no SDK, no hls.js.
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((u) => u.includes('/widget/')),
    )
    expect(scripts.some((u) => /hms-sdk-adapter|hls-playback|\/chunks\/dist-/.test(u))).toBe(false)
    expect(tp.pageErrors).toEqual([])
    expect(tp.consoleErrors()).toEqual([])
    await tp.close()
  })

  it("takes the page's text color unless --live-stream-color is set (it has no background of its own)", async () => {
    const html = listPage('api-base="/api"').replace(
      '<body>',
      '<body style="background: #000; color: rgb(250, 250, 250)">',
    )
    const tp = await openTestPage(env.browser, env.server.url, html)
    const color = () =>
      tp.page.evaluate(
        () =>
          getComputedStyle(
            document.querySelector('live-stream-list')!.shadowRoot!.querySelector('[part="influencer"]')!,
          ).color,
      )
    await tp.page.waitForFunction(
      () => document.querySelector('live-stream-list')?.shadowRoot?.querySelector('[part="influencer"]') !== null,
    )
    expect(await color()).toBe('rgb(250, 250, 250)')
    await tp.page.evaluate(() =>
      document.querySelector<HTMLElement>('live-stream-list')!.style.setProperty('--live-stream-color', 'rgb(1, 2, 3)'),
    )
    expect(await color()).toBe('rgb(1, 2, 3)')
    await tp.close()
  })

  it('refreshes periodically', async () => {
    const tp = await openTestPage(env.browser, env.server.url, listPage('api-base="/api" refresh-seconds="1"'))
    await tp.page.waitForFunction(
      () => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/live-streams')).length >= 3,
      null,
      { timeout: 10_000 },
    )
    await tp.close()
  })

  it('shows a clear error state when the endpoint is unreachable', async () => {
    const tp = await openTestPage(
      env.browser,
      env.server.url,
      listPage('api-base="http://127.0.0.1:9/api" refresh-seconds="0"'),
    )
    await tp.page.waitForFunction(() =>
      /internet connection/i.test(
        document.querySelector('live-stream-list')?.shadowRoot?.querySelector('[part="status"]')?.textContent ?? '',
      ),
    )
    await tp.close()
  })

  it('shows a clear empty state', async () => {
    const tp = await openTestPage(
      env.browser,
      env.server.url,
      listPage('api-base="/__widget-test__/empty" refresh-seconds="0"'),
    )
    await tp.page.route(`${env.server.url}/__widget-test__/empty/live-streams`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"streams":[]}' }),
    )
    await tp.page.reload()
    await tp.page.waitForFunction(() =>
      /no one is live/i.test(
        document.querySelector('live-stream-list')?.shadowRoot?.querySelector('[part="status"]')?.textContent ?? '',
      ),
    )
    await tp.close()
  })
})
