/**
 * The player controls of `<live-stream-viewer>` in real headless Chromium, by pointer and by
 * keyboard. HLS playback is real: H.264 made with ffmpeg (support/hls-stream.mjs), served from
 * another origin and played by the bundled hls.js. The SDK adapter is the fake of
 * support/fake-sdk.ts, which replaces only the 100ms network (it reports the HLS stream, or a
 * canvas track for WebRTC playback); the element, the bundle and the endpoint are real.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { TestPage } from './support/browser.js'
import { openTestPage, widgetPage } from './support/browser.js'
import { FAKE_SDK_SCRIPT } from './support/fake-sdk.js'
import { makeHlsStream, routeHlsStream } from './support/hls-stream.mjs'
import { startTestServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'
import { calls, openViewerPage, playHls, waitForState } from './support/viewer-page.js'

const env = useBrowserAndServer(startTestServer)
const HLS_VIEWER = 'window.fakeSdk.receivesWebrtcMedia = false'
let stream: { dir: string; close(): void }
let current: TestPage | null = null
// The element re-renders after the media or document event a test waits for: its labels and
// layout are polled until they settle (a bound that catches a hang, not a speed goal).
const SETTLED = { timeout: 10_000 }

beforeAll(() => {
  stream = makeHlsStream()
})
afterAll(() => stream?.close())
afterEach(async () => {
  await current?.close()
  current = null
})

/** Opens a viewer of the ready stream as an HLS viewer and waits for the first frame. */
async function playingHlsViewer(options: { after?: string } = {}): Promise<Page> {
  current = await openViewerPage(env.browser, env.server.url, env.server.ids.ready, { setup: HLS_VIEWER, ...options })
  await playHls(current.page, stream.dir)
  return current.page
}

function control(page: Page, name: string): Locator {
  return page.locator(`live-stream-viewer [part~="${name}"]`)
}

/** The `<video>`'s state, read in the page. */
function video(page: Page): Promise<{ paused: boolean; muted: boolean; volume: number }> {
  return page.evaluate(() => {
    const v = document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('video')!
    return { paused: v.paused, muted: v.muted, volume: v.volume }
  })
}

async function waitForVideo(page: Page, check: string): Promise<void> {
  await page.waitForFunction(
    `(() => { const v = document.querySelector('live-stream-viewer').shadowRoot.querySelector('video'); return ${check} })()`,
  )
}

/** Focuses the stage with the keyboard: from the heading above it, it is the next tab stop. */
async function focusStage(page: Page): Promise<void> {
  await page.locator('h1').click()
  await page.keyboard.press('Tab')
  expect(
    await page.evaluate(() =>
      document.querySelector('live-stream-viewer')!.shadowRoot!.activeElement?.getAttribute('part'),
    ),
  ).toBe('stage')
}

describe('live-stream-viewer controls (HLS, real H.264)', () => {
  it('pauses and plays by pointer, by k and by space', async () => {
    const page = await playingHlsViewer()
    const button = control(page, 'play-button')
    await expect.poll(() => button.getAttribute('aria-label'), SETTLED).toBe('Pause')
    await button.click()
    await waitForVideo(page, 'v.paused')
    await expect.poll(() => button.getAttribute('aria-label'), SETTLED).toBe('Play')
    await button.click()
    await waitForVideo(page, '!v.paused')
    await focusStage(page)
    await page.keyboard.press('k')
    await waitForVideo(page, 'v.paused')
    await page.keyboard.press(' ')
    await waitForVideo(page, '!v.paused')
    // Space on a focused button presses that button, once.
    await button.focus()
    await page.keyboard.press(' ')
    await waitForVideo(page, 'v.paused')
  })

  it('unmutes and mutes by pointer and by m, and sets the volume by pointer and by arrow keys', async () => {
    const page = await playingHlsViewer()
    const mute = control(page, 'mute-button')
    expect((await video(page)).muted).toBe(true)
    await expect.poll(() => mute.getAttribute('aria-label'), SETTLED).toBe('Unmute')
    await mute.click()
    await waitForVideo(page, '!v.muted')
    await expect.poll(() => mute.getAttribute('aria-label'), SETTLED).toBe('Mute')
    expect(await control(page, 'unmute-button').count()).toBe(0)
    await focusStage(page)
    await page.keyboard.press('m')
    await waitForVideo(page, 'v.muted')
    await page.keyboard.press('m')
    await waitForVideo(page, '!v.muted')

    const slider = control(page, 'volume')
    await slider.focus()
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await waitForVideo(page, 'Math.abs(v.volume - 0.9) < 0.001')
    const box = (await slider.boundingBox())!
    await page.mouse.click(box.x + 2, box.y + box.height / 2)
    await waitForVideo(page, 'v.volume < 0.1')
    // The bottom of the slider is silence: shown as muted.
    expect((await video(page)).muted).toBe(true)
    await expect.poll(() => mute.getAttribute('aria-label'), SETTLED).toBe('Unmute')
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2)
    await waitForVideo(page, '!v.muted && v.volume > 0.3 && v.volume < 0.7')
  })

  it('enters and leaves fullscreen of the whole element by pointer and by f', async () => {
    const page = await playingHlsViewer()
    const isFullscreen = () => page.evaluate(() => document.fullscreenElement?.localName ?? null)
    const button = control(page, 'fullscreen-button')
    await button.click()
    await page.waitForFunction(() => document.fullscreenElement?.localName === 'live-stream-viewer')
    await expect.poll(() => button.getAttribute('aria-label'), SETTLED).toBe('Exit full screen')
    // The stage fills the screen below the header (the element, not only the video, is fullscreen).
    const stageShare = () =>
      page.evaluate(() => {
        const stage = document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="stage"]')!
        return stage.getBoundingClientRect().height / window.innerHeight
      })
    await expect.poll(stageShare, SETTLED).toBeGreaterThan(0.7)
    await button.click()
    await page.waitForFunction(() => document.fullscreenElement === null)
    await focusStage(page)
    await page.keyboard.press('f')
    await page.waitForFunction(() => document.fullscreenElement?.localName === 'live-stream-viewer')
    await page.keyboard.press('f')
    await page.waitForFunction(() => document.fullscreenElement === null)
    expect(await isFullscreen()).toBeNull()
  })

  it('enters and leaves picture-in-picture by pointer and by keyboard', async () => {
    const page = await playingHlsViewer()
    const inPip = () =>
      page.evaluate(
        () => document.querySelector('live-stream-viewer')!.shadowRoot!.pictureInPictureElement?.localName ?? null,
      )
    const button = control(page, 'pip-button')
    await button.click()
    await page.waitForFunction(
      () => document.querySelector('live-stream-viewer')!.shadowRoot!.pictureInPictureElement !== null,
    )
    expect(await inPip()).toBe('video')
    await expect.poll(() => button.getAttribute('aria-label'), SETTLED).toBe('Exit picture in picture')
    await button.press('Enter')
    await page.waitForFunction(() => document.pictureInPictureElement === null)
    await button.press('Enter')
    await page.waitForFunction(() => document.pictureInPictureElement !== null)
    expect(await inPip()).toBe('video')
  })

  it('leaves picture-in-picture by its button where shadow roots do not report it (Safari)', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ready, {
      setup: HLS_VIEWER,
      initScript: 'delete ShadowRoot.prototype.pictureInPictureElement',
    })
    const { page } = current
    await playHls(page, stream.dir)
    const button = control(page, 'pip-button')
    await button.click()
    await page.waitForFunction(() => document.pictureInPictureElement !== null)
    await expect.poll(() => button.getAttribute('aria-label'), SETTLED).toBe('Exit picture in picture')
    await button.click()
    await page.waitForFunction(() => document.pictureInPictureElement === null)
    await expect.poll(() => button.getAttribute('aria-label'), SETTLED).toBe('Picture in picture')
    expect(current.pageErrors).toEqual([])
  })

  it("enters and leaves picture-in-picture inside another component's shadow root", async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ready, { setup: HLS_VIEWER })
    const { page } = current
    const { url } = await routeHlsStream(page, stream.dir)
    // The document then reports the outer host as its pictureInPictureElement, not the viewer.
    const viewer = `document.querySelector('#shell').shadowRoot.querySelector('live-stream-viewer')`
    await page.evaluate(`(() => {
      const shell = document.createElement('div')
      shell.id = 'shell'
      document.querySelector('main').append(shell)
      shell.attachShadow({ mode: 'open' }).append(document.querySelector('live-stream-viewer'))
    })()`)
    await page.waitForFunction(`${viewer}.getAttribute('state') === 'waiting'`)
    await page.evaluate((u) => (window as any).fakeSdk.last.setHlsUrl(u), url)
    await page.waitForFunction(`${viewer}.shadowRoot.querySelector('video').readyState >= 2`)
    const button = control(page, 'pip-button')
    await button.click()
    await page.waitForFunction(() => document.pictureInPictureElement?.id === 'shell')
    await expect.poll(() => button.getAttribute('aria-label'), SETTLED).toBe('Exit picture in picture')
    await button.click()
    await page.waitForFunction(() => document.pictureInPictureElement === null)
    await expect.poll(() => button.getAttribute('aria-label'), SETTLED).toBe('Picture in picture')
  })

  it('leaves keys typed into an input elsewhere on the page alone', async () => {
    const page = await playingHlsViewer({ after: '<label>Search <input id="search"></label>' })
    const before = await video(page)
    await page.locator('#search').click()
    await page.keyboard.type('fmk m')
    expect(await page.locator('#search').inputValue()).toBe('fmk m')
    expect(await video(page)).toEqual(before)
    expect(await page.evaluate(() => document.fullscreenElement)).toBeNull()
  })

  it('hides the controls while the pointer is idle during playback and keeps them with keyboard focus', async () => {
    const page = await playingHlsViewer()
    const opacity = () => control(page, 'controls').evaluate((el) => getComputedStyle(el).opacity)
    const stage = (await control(page, 'stage').boundingBox())!
    await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2)
    await page.waitForFunction(
      () =>
        getComputedStyle(document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="controls"]')!)
          .opacity === '1',
    )
    // Idle: after a few seconds without pointer movement the controls fade out.
    await page.waitForFunction(
      () =>
        getComputedStyle(document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="controls"]')!)
          .opacity === '0',
      null,
      { timeout: 10_000 },
    )
    await page.mouse.move(stage.x + 10, stage.y + 10)
    await page.waitForFunction(
      () =>
        !document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('.stage')!.classList.contains('idle'),
    )
    await focusStage(page)
    await page.keyboard.press('Tab')
    await page.waitForFunction(
      () => document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('.stage.idle') !== null,
      null,
      { timeout: 10_000 },
    )
    await page.waitForFunction(
      () =>
        getComputedStyle(document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="controls"]')!)
          .opacity === '1',
    )
    expect(await opacity()).toBe('1')
  })

  it('has touch targets of at least 44×44 CSS px, also on a 320 px wide screen', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ready, {
      setup: HLS_VIEWER,
      context: { viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true },
    })
    await playHls(current.page, stream.dir)
    const targets = await current.page.evaluate(() => {
      const root = document.querySelector('live-stream-viewer')!.shadowRoot!
      const stage = root.querySelector('[part="stage"]')!.getBoundingClientRect()
      return [...root.querySelectorAll('button, input')].map((el) => {
        const box = el.getBoundingClientRect()
        const inside = box.left >= stage.left && box.right <= stage.right && box.bottom <= stage.bottom
        return { part: el.getAttribute('part'), width: box.width, height: box.height, inside }
      })
    })
    expect(targets.map((t) => t.part).sort()).toEqual([
      'fullscreen-button',
      'mute-button',
      'pip-button',
      'play-button',
      'unmute-button',
      'volume',
    ])
    for (const target of targets) {
      expect(target, target.part!).toMatchObject({ inside: true })
      expect(target.width, target.part!).toBeGreaterThanOrEqual(44)
      expect(target.height, target.part!).toBeGreaterThanOrEqual(44)
    }
  })
})

describe('live-stream-viewer controls where the browser or the page says no', () => {
  it('offers no fullscreen in a cross-origin iframe without allow="fullscreen", and f changes nothing', async () => {
    // The shop's page embeds a player page of another origin; that origin's /widget and /api
    // requests are answered by the endpoint under test (fetched from Node: Chromium refuses a
    // routed page's requests to a loopback server). HTTPS: the SDK needs a secure context.
    const embed = 'https://player.embed.test'
    const html = widgetPage({
      body: `<iframe title="Player" src="${embed}/watch.html" width="640" height="480"></iframe>`,
    })
    current = await openTestPage(env.browser, env.server.url, html)
    const { page } = current
    await page.route(`${embed}/**`, async (route) => {
      const url = new URL(route.request().url())
      if (url.pathname !== '/watch.html')
        return route.fulfill({ response: await route.fetch({ url: `${env.server.url}${url.pathname}${url.search}` }) })
      const body = `<live-stream-viewer session-id="${env.server.ids.ready}" api-base="/api"></live-stream-viewer>`
      return route.fulfill({ contentType: 'text/html', body: widgetPage({ fakeSdk: FAKE_SDK_SCRIPT, body }) })
    })
    await page.reload()
    const frame = page.frameLocator('iframe')
    await frame.locator('live-stream-viewer[state="waiting"]').waitFor()
    const inFrame = page.frames().find((f) => f.url().startsWith(embed))!
    await inFrame.evaluate('fakeSdk.last.goLive()')
    await frame.locator('live-stream-viewer[state="playing"]').waitFor()
    expect(await inFrame.evaluate(() => document.fullscreenEnabled)).toBe(false)
    expect(await frame.locator('live-stream-viewer [part="mute-button"]').count()).toBe(1)
    expect(await frame.locator('live-stream-viewer [part="fullscreen-button"]').count()).toBe(0)
    await frame.locator('live-stream-viewer [part="mute-button"]').focus()
    await page.keyboard.press('f')
    expect(await inFrame.evaluate(() => document.fullscreenElement)).toBeNull()
    expect(current.pageErrors).toEqual([])
    expect(current.consoleErrors()).toEqual([])
  })

  it('offers no picture-in-picture where the browser has none', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ready, {
      setup: HLS_VIEWER,
      initScript: `Object.defineProperty(Document.prototype, 'pictureInPictureEnabled', { get: () => false })`,
    })
    await playHls(current.page, stream.dir)
    expect(await control(current.page, 'mute-button').count()).toBe(1)
    expect(await control(current.page, 'pip-button').count()).toBe(0)
  })
})

describe('live-stream-viewer controls (WebRTC)', () => {
  it('mutes and sets the volume of the room audio through the SDK; no play/pause for a WebRTC stream', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ready)
    const { page } = current
    await waitForState(page, 'waiting')
    await page.evaluate('fakeSdk.last.goLive()')
    await waitForState(page, 'playing')
    expect(await control(page, 'play-button').count()).toBe(0)
    const mute = control(page, 'mute-button')
    await expect.poll(() => mute.getAttribute('aria-label'), SETTLED).toBe('Mute')
    await mute.click()
    await page.waitForFunction(() => (window as any).fakeSdk.calls.includes('setVolume:0'))
    await expect.poll(() => mute.getAttribute('aria-label'), SETTLED).toBe('Unmute')
    await focusStage(page)
    await page.keyboard.press('m')
    await page.waitForFunction(() => (window as any).fakeSdk.calls.includes('setVolume:100'))
    await control(page, 'volume').focus()
    await page.keyboard.press('ArrowLeft')
    await page.waitForFunction(() => (window as any).fakeSdk.calls.includes('setVolume:95'))
    expect((await calls(page)).filter((c) => c.startsWith('setVolume'))).toEqual([
      'setVolume:0',
      'setVolume:100',
      'setVolume:95',
    ])
  })
})
