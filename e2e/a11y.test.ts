/**
 * axe-core accessibility check of both elements in real headless Chromium (shadow DOM included):
 * no serious or critical violations. The viewer uses the fake SDK adapter (only the 100ms network
 * is replaced) so that its playing state, with the "Tap to unmute" button, can be checked too.
 */
import { describe, expect, it } from 'vitest'
import { seriousViolations } from './support/axe.js'
import { openTestPage, widgetPage } from './support/browser.js'
import { FAKE_SDK_SCRIPT } from './support/fake-sdk.js'
import { startTestServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'

const env = useBrowserAndServer(startTestServer)

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
})
