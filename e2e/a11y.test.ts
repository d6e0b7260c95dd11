/**
 * axe-core accessibility check of both elements in real headless Chromium (shadow DOM included):
 * no serious or critical violations. The viewer uses the fake SDK adapter (only the 100ms network
 * is replaced) so that its playing state, with the "Tap to unmute" button and the controls, can be
 * checked too; HLS playback is real H.264 made with ffmpeg.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from './support/axe.js'
import { openTestPage, widgetPage } from './support/browser.js'
import { FAKE_SDK_SCRIPT } from './support/fake-sdk.js'
import { makeHlsStream } from './support/hls-stream.mjs'
import { startTestServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'
import { openViewerPage, playHls } from './support/viewer-page.js'

const env = useBrowserAndServer(startTestServer)
let stream: { dir: string; close(): void }

beforeAll(() => {
  stream = makeHlsStream()
})
afterAll(() => stream?.close())

describe('accessibility (axe-core)', () => {
  it('the list and a viewer in the error state have no serious violations', async () => {
    const body = `<live-stream-list api-base="/api"></live-stream-list>
      <live-stream-viewer session-id="${env.server.ids.ended}" api-base="/api"></live-stream-viewer>`
    const tp = await openTestPage(env.browser, env.server.url, widgetPage({ body }))
    await tp.page.waitForFunction(() => document.querySelector('live-stream-viewer')?.getAttribute('state') === 'error')
    await tp.page.waitForFunction(
      () => (document.querySelector('live-stream-list')?.shadowRoot?.querySelectorAll('a').length ?? 0) >= 3,
    )
    expect(await seriousViolations(tp.page)).toEqual([])
    await tp.close()
  })

  it('a playing viewer with the "Tap to unmute" button has no serious violations', async () => {
    const body = `<live-stream-viewer session-id="${env.server.ids.ready}" api-base="/api"></live-stream-viewer>`
    const tp = await openTestPage(env.browser, env.server.url, widgetPage({ body, fakeSdk: FAKE_SDK_SCRIPT }))
    await tp.page.waitForFunction(
      () => document.querySelector('live-stream-viewer')?.getAttribute('state') === 'waiting',
    )
    await tp.page.evaluate('fakeSdk.last.goLive(); fakeSdk.last.emit({ type: "autoplay-blocked" })')
    await tp.page.waitForFunction(
      () => document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="unmute-button"]') !== null,
    )
    expect(await seriousViolations(tp.page)).toEqual([])
    await tp.close()
  })

  it.each(['light', 'dark'] as const)(
    'a playing HLS viewer with its controls shown has no serious violations (%s)',
    async (colorScheme) => {
      const tp = await openViewerPage(env.browser, env.server.url, env.server.ids.ready, {
        setup: 'window.fakeSdk.receivesWebrtcMedia = false',
        head: '<meta name="color-scheme" content="light dark">',
        context: { colorScheme },
      })
      await playHls(tp.page, stream.dir)
      const stage = (await tp.page.locator('live-stream-viewer [part="stage"]').boundingBox())!
      await tp.page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2)
      const controls = tp.page.locator('live-stream-viewer [part="controls"]')
      await tp.page.waitForFunction(
        () =>
          getComputedStyle(
            document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="controls"]')!,
          ).opacity === '1',
      )
      expect(await controls.locator('button, input').count()).toBe(5)
      expect(await seriousViolations(tp.page)).toEqual([])
      await tp.close()
    },
  )
})
