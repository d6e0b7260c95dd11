/**
 * Languages of `<live-stream-viewer>` and `<live-stream-list>` in real headless Chromium against
 * the endpoint: the language comes from the element's `lang`, the nearest ancestor's, or the
 * browser's; Spanish, Hindi and Brazilian Portuguese load lazily; `messages` overrides any text;
 * anything unknown falls back to English. The viewer's SDK adapter is the fake of
 * support/fake-sdk.ts (only the 100ms network is replaced).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestPage } from './support/browser.js'
import { openTestPage } from './support/browser.js'
import { startTestServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'
import { openViewerPage, part, status, waitForState } from './support/viewer-page.js'

const env = useBrowserAndServer(startTestServer)
let current: TestPage | null = null

afterEach(async () => {
  await current?.close()
  current = null
})

/** The language chunks the page fetched (es, hi, pt-br). */
function languageChunks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => /\/chunks\/(es|hi|pt-br)-/.exec(e.name)?.[1])
      .filter((name): name is string => name !== undefined),
  )
}

async function waitForStatus(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (t) =>
      document
        .querySelector('live-stream-viewer')
        ?.shadowRoot?.querySelector('[part="status"]')
        ?.textContent?.trim() === t,
    text,
  )
}

describe('live-stream-viewer languages', () => {
  it('speaks Spanish with lang="es": the not-configured message, loading only the Spanish file', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.notConfigured, {
      attributes: { lang: 'es' },
    })
    const { page } = current
    await waitForState(page, 'error')
    await waitForStatus(
      page,
      'El acceso para espectadores aún no está configurado para esta transmisión, así que no se puede ver.',
    )
    expect(await languageChunks(page)).toEqual(['es'])
  })

  it("takes the nearest ancestor's lang (Hindi) and shows the stream in it", async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ready, { lang: 'hi-IN' })
    const { page } = current
    await waitForState(page, 'waiting')
    await waitForStatus(page, 'स्ट्रीम शुरू होने की प्रतीक्षा है…')
    expect(await part(page, 'badge')).toBe('✅ तैयार')
    expect(await part(page, 'connection-info')).toContain('दर्शक टोकन + रूम कोड')
    expect(await languageChunks(page)).toEqual(['hi'])
  })

  it("takes the browser's language without any lang (Brazilian Portuguese), and follows a lang change", async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ended, {
      lang: null,
      context: { locale: 'pt-BR' },
    })
    const { page } = current
    await waitForState(page, 'error')
    await waitForStatus(page, 'Esta transmissão não está ao vivo agora.')
    expect(await part(page, 'retry-button')).toBe('Tentar novamente')
    await page.evaluate(() => document.querySelector('live-stream-viewer')!.setAttribute('lang', 'es-MX'))
    await waitForStatus(page, 'Esta transmisión no está en vivo ahora mismo.')
    expect(await part(page, 'retry-button')).toBe('Reintentar')
  })

  it('falls back to English for an unknown language, loading no language file', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.notConfigured, {
      attributes: { lang: 'xx-YY' },
    })
    const { page } = current
    await waitForState(page, 'error')
    expect(await status(page)).toBe('Viewer access is not configured for this stream yet, so it cannot be watched.')
    expect(await languageChunks(page)).toEqual([])
  })

  it('replaces one message with the messages property; the others stay in the language (or English)', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ended, { attributes: { lang: 'es' } })
    const { page } = current
    await waitForState(page, 'error')
    await waitForStatus(page, 'Esta transmisión no está en vivo ahora mismo.')
    await page.evaluate(() => {
      const viewer = document.querySelector('live-stream-viewer')!
      ;(viewer as unknown as { messages: unknown }).messages = {
        stream_not_live: 'Vuelve a las 18:00.',
        retry: 42,
        nonsense: 'ignored',
      }
    })
    await waitForStatus(page, 'Vuelve a las 18:00.')
    // A value that is not a string counts as missing: the language's own text, never the key.
    await page.waitForFunction(
      () =>
        document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('[part="retry-button"]')
          ?.textContent === 'Reintentar',
    )
    await page.evaluate(() => {
      const viewer = document.querySelector('live-stream-viewer')!
      viewer.removeAttribute('lang')
      viewer.messages = { stream_not_live: 'Back at 6 pm.' }
    })
    await waitForStatus(page, 'Back at 6 pm.')
    expect(await part(page, 'retry-button')).toBe('Retry')
  })

  it('ignores a messages property that is not an object, with a console warning naming the element', async () => {
    current = await openViewerPage(env.browser, env.server.url, env.server.ids.ended)
    const { page } = current
    await waitForState(page, 'error')
    await page.evaluate(() => {
      ;(document.querySelector('live-stream-viewer') as unknown as { messages: unknown }).messages = 'Back soon'
    })
    await expect
      .poll(() => current!.messages.filter((m) => m.type === 'warning').map((m) => m.text))
      .toEqual(['<live-stream-viewer>: messages must be an object of texts by key; ignored.'])
    expect(await status(page)).toBe('This stream is not live right now.')
    expect(current.pageErrors).toEqual([])
  })
})

describe('live-stream-list languages', () => {
  it('uses the same catalogue: Spanish badges, status and Watch links with lang="es"', async () => {
    const html = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Lista</title></head>
<body><main><live-stream-list api-base="/api"></live-stream-list></main>
<script type="module" src="/widget/live-stream-list.js"></script></body></html>`
    current = await openTestPage(env.browser, env.server.url, html)
    const { page } = current
    const list = page.locator('live-stream-list')
    await page.waitForFunction(() =>
      /en vivo ahora/.test(
        document.querySelector('live-stream-list')?.shadowRoot?.querySelector('[part="status"]')?.textContent ?? '',
      ),
    )
    const badges = new Set(await list.locator('[part="badge"]').allTextContents())
    expect([...badges].sort()).toEqual(['⚠️ Limitado', '✅ Listo', '❌ Sin configurar'])
    expect(await list.getByRole('link', { name: 'Ver Morning run de Ava Stone' }).textContent()).toBe('Ver')
    expect(await languageChunks(page)).toEqual(['es'])
  })
})
