/**
 * The stage of `<live-stream-viewer>` in real headless Chromium: reserved from the first render
 * (no layout shift until playing, measured with a `layout-shift` PerformanceObserver), and the
 * card at phone and desktop sizes, light and dark, playing and failed, with screenshots written
 * to $WIDGET_SCREENSHOTS (default: a folder in the OS temp dir) for people to look at. Playback
 * is real H.264 HLS made with ffmpeg; the SDK adapter is the fake of support/fake-sdk.ts (only
 * the 100ms network is replaced).
 */
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestPage } from './support/browser.js'
import { makeHlsStream } from './support/hls-stream.mjs'
import { startTestServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'
import { openViewerPage, playHls, waitForState } from './support/viewer-page.js'

const env = useBrowserAndServer(startTestServer)
const SCREENSHOTS = process.env.WIDGET_SCREENSHOTS ?? join(tmpdir(), 'hms-admin-widget-screenshots')
const HLS_VIEWER = 'window.fakeSdk.receivesWebrtcMedia = false'
let stream: { dir: string; close(): void }
let current: TestPage | null = null

beforeAll(() => {
  stream = makeHlsStream()
  mkdirSync(SCREENSHOTS, { recursive: true })
})
afterAll(() => stream?.close())
afterEach(async () => {
  await current?.close()
  current = null
})

/**
 * Records every layout shift of the page (without recent input) as [startTime, value, moved boxes
 * as "previous -> current" rectangles], so that a failure says what moved.
 */
const RECORD_LAYOUT_SHIFTS = `window.shifts = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue
    const rect = (r) => [r.x, r.y, r.width, r.height].map(Math.round).join(',')
    const moved = entry.sources.map((s) => rect(s.previousRect) + ' -> ' + rect(s.currentRect))
    window.shifts.push([entry.startTime, entry.value, moved])
  }
}).observe({ type: 'layout-shift', buffered: true })`

/** The viewer's card, stage and page geometry. */
function geometry(page: Page) {
  return page.evaluate(() => {
    const viewer = document.querySelector('live-stream-viewer')!
    const stage = viewer.shadowRoot!.querySelector('[part="stage"]')!.getBoundingClientRect()
    return {
      stage: { width: stage.width, height: stage.height },
      overflow: document.documentElement.scrollWidth > window.innerWidth,
      background: getComputedStyle(viewer).backgroundColor,
      cardRight: viewer.getBoundingClientRect().right,
    }
  })
}

describe('live-stream-viewer stage', () => {
  it('does not shift the layout from its first render to playing (layout-shift observer)', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ready, {
      setup: HLS_VIEWER,
      after: '<p id="below">The shop page goes on below the player.</p>',
      initScript: RECORD_LAYOUT_SHIFTS,
    })
    const { page } = current
    // The first render: the frame after the element was added (its insertion itself moves the page).
    const first = await page.evaluate(async () => {
      await document.querySelector('live-stream-viewer')!.updateComplete
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      const stage = document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="stage"]')!
      return { at: performance.now(), stageHeight: stage.getBoundingClientRect().height }
    })
    expect(first.stageHeight).toBeGreaterThan(100)
    await playHls(page, stream.dir)
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    const shifts = () =>
      page.evaluate(() => (window as unknown as { shifts: Array<[number, number, string[]]> }).shifts)
    const after = (await shifts()).filter(([time]) => time > first.at)
    expect(after).toEqual([])
    expect((await geometry(page)).stage.height).toBe(first.stageHeight)
    // The observer sees shifts in this page: content added above the player moves it.
    await page.evaluate(() =>
      document.querySelector('main')!.prepend(Object.assign(document.createElement('p'), { textContent: 'News' })),
    )
    await expect.poll(async () => (await shifts()).filter(([time]) => time > first.at).length).toBeGreaterThan(0)
  })

  it('fits a 320 px wide screen in the error state, with the message and Retry inside the stage', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ended, {
      context: { viewport: { width: 320, height: 640 } },
      attributes: { lang: 'es' },
    })
    const { page } = current
    await waitForState(page, 'error')
    await page.waitForFunction(() =>
      /Reintentar/.test(document.querySelector('live-stream-viewer')!.shadowRoot!.textContent ?? ''),
    )
    const inside = await page.evaluate(() => {
      const root = document.querySelector('live-stream-viewer')!.shadowRoot!
      const stage = root.querySelector('[part="stage"]')!.getBoundingClientRect()
      return ['status', 'retry-button'].map((name) => {
        const box = root.querySelector(`[part="${name}"]`)!.getBoundingClientRect()
        return box.top >= stage.top && box.bottom <= stage.bottom && box.left >= stage.left && box.right <= stage.right
      })
    })
    expect(inside).toEqual([true, true])
    expect((await geometry(page)).overflow).toBe(false)
  })
})

describe('live-stream-viewer screenshots', () => {
  const cases = [
    { size: 'mobile', viewport: { width: 375, height: 740 } },
    { size: 'desktop', viewport: { width: 1280, height: 800 } },
  ].flatMap((c) => (['light', 'dark'] as const).map((colorScheme) => ({ ...c, colorScheme })))

  it.each(cases)(
    '$size ($viewport.width×$viewport.height), $colorScheme: playing and error',
    async ({ size, viewport, colorScheme }) => {
      const head = '<meta name="color-scheme" content="light dark"><meta name="viewport" content="width=device-width">'
      for (const state of ['playing', 'error'] as const) {
        current = await openViewerPage(
          env.browser,
          env.server.url,
          env.server.ids[state === 'playing' ? 'ready' : 'ended'],
          {
            setup: HLS_VIEWER,
            head,
            context: { viewport, colorScheme },
          },
        )
        const { page } = current
        if (state === 'playing') {
          await playHls(page, stream.dir)
          const stage = (await page.locator('live-stream-viewer [part="stage"]').boundingBox())!
          await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2)
        } else {
          await waitForState(page, 'error')
          await page.locator('live-stream-viewer [part="retry-button"]').waitFor()
        }
        const { stage, overflow, background, cardRight } = await geometry(page)
        expect(overflow).toBe(false)
        expect(cardRight).toBeLessThanOrEqual(viewport.width)
        expect(Math.abs(stage.width / stage.height - 16 / 9)).toBeLessThan(0.02)
        expect(background).toBe(colorScheme === 'dark' ? 'rgb(28, 28, 30)' : 'rgb(255, 255, 255)')
        await page.screenshot({ path: join(SCREENSHOTS, `viewer-${size}-${colorScheme}-${state}.png`), fullPage: true })
        await current.close()
        current = null
      }
    },
  )
})
