/**
 * `<live-stream-viewer>` in real headless Chromium against the hms-admin endpoint
 * (support/test-server.ts). The SDK adapter is the fake of support/fake-sdk.ts, which replaces
 * only the 100ms network; the element, the built bundle and the endpoint are real.
 */
import { afterEach, afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { TestPage } from './support/browser.js'
import { makeHlsStream } from './support/hls-stream.mjs'
import { READY_ROOM_CODE, startTestServer } from './support/test-server.js'
import { useBrowserAndServer } from './support/use-browser-and-server.js'
import { calls, events, openViewerPage, part, playHls, status, waitForState } from './support/viewer-page.js'

const env = useBrowserAndServer(startTestServer)
let current: TestPage | null = null
let stream: { dir: string; close(): void }

beforeAll(() => {
  stream = makeHlsStream()
})
afterAll(() => stream?.close())

afterEach(async () => {
  await current?.close()
  current = null
})

/** Opens a page with the fake SDK and one viewer for `sessionId`; resolves once the page is ready. */
async function openViewer(sessionId: string, setup = ''): Promise<TestPage> {
  current = await openViewerPage(env.browser, env.server.url, sessionId, { setup })
  return current
}

function fake(page: Page, script: string): Promise<unknown> {
  return page.evaluate(script)
}

/**
 * No console errors and no secret (token, room code) anywhere in the console. Chromium's own
 * "Failed to load resource" line for an endpoint error answer (404/409/403) is not the page's.
 */
function expectCleanConsole(tp: TestPage, secrets: string[] = []): void {
  expect(tp.pageErrors).toEqual([])
  expect(
    tp.consoleErrors(
      (m) => !(m.text.startsWith('Failed to load resource') && new URL(m.url).pathname.startsWith('/api/')),
    ),
  ).toEqual([])
  const all = tp.messages.map((m) => m.text).join('\n')
  for (const secret of secrets) expect(all).not.toContain(secret)
  expect(all).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/)
}

describe('live-stream-viewer: endpoint answers', () => {
  it('shows "stream not found" for an unknown session (404 stream_not_found), without Retry', async () => {
    const { page } = await openViewer(env.server.ids.unknown)
    await waitForState(page, 'error')
    expect(await status(page)).toMatch(/stream not found/i)
    expect(await part(page, 'retry-button')).toBeNull()
    expect(await events(page)).toContainEqual(['error', 'stream_not_found', false])
    expect(await calls(page)).toEqual([])
    expectCleanConsole(current!)
  })

  it('explains a stream that is not live (409 stream_not_live) with a Retry button', async () => {
    const { page } = await openViewer(env.server.ids.ended)
    await waitForState(page, 'error')
    expect(await status(page)).toMatch(/not live/i)
    expect(await part(page, 'retry-button')).toBe('Retry')
    expect(await events(page)).toContainEqual(['error', 'stream_not_live', true])
    // Themable through custom properties and ::part.
    const colors = await page.evaluate(() => {
      const style = document.createElement('style')
      style.textContent =
        'live-stream-viewer { --live-stream-accent: rgb(1, 2, 3) } live-stream-viewer::part(status) { color: rgb(4, 5, 6) }'
      document.head.append(style)
      const root = document.querySelector('live-stream-viewer')!.shadowRoot!
      return [
        getComputedStyle(root.querySelector('[part="retry-button"]')!).backgroundColor,
        getComputedStyle(root.querySelector('[part="status"]')!).color,
      ]
    })
    expect(colors).toEqual(['rgb(1, 2, 3)', 'rgb(4, 5, 6)'])
  })

  it('reports unsupported_browser when WebRTC is missing', async () => {
    const { page } = await openViewer(env.server.ids.ready, '')
    await page.evaluate((id) => {
      delete (window as any).RTCPeerConnection
      const viewer = document.querySelector('live-stream-viewer')!
      viewer.setAttribute('session-id', id)
    }, env.server.ids.limited)
    await page.waitForFunction(() => (window as any).events.some((e: unknown[]) => e[1] === 'unsupported_browser'))
    expect(await status(page)).toMatch(/browser/i)
  })

  it('explains that viewer access is not configured (403 viewer_access_not_configured)', async () => {
    const { page } = await openViewer(env.server.ids.notConfigured)
    await waitForState(page, 'error')
    expect(await status(page)).toMatch(/viewer access is not configured/i)
    expect(await events(page)).toContainEqual(['error', 'viewer_access_not_configured', false])
  })

  it('suggests contacting the host for invalid stored credentials (403 viewer_token_invalid)', async () => {
    const { page } = await openViewer(env.server.ids.invalid)
    await waitForState(page, 'error')
    expect(await status(page)).toMatch(/contact the host/i)
    expect(await events(page)).toContainEqual(['error', 'viewer_token_invalid', false])
    expect(await calls(page)).toEqual([])
    expectCleanConsole(current!)
  })

  it('shows idle without a session id', async () => {
    const { page } = await openViewer('')
    await waitForState(page, 'idle')
    expect(await status(page)).toMatch(/no stream selected/i)
  })
})

describe('live-stream-viewer: ready stream', () => {
  it('shows title, influencer, badge and connection info, joins, waits, then plays', async () => {
    const tp = await openViewer(env.server.ids.ready)
    const { page } = tp
    await waitForState(page, 'waiting')
    expect(await part(page, 'title')).toBe('Morning run')
    expect(await part(page, 'influencer')).toContain('Ava Stone')
    expect(await part(page, 'badge')).toBe('✅ Ready')
    expect(await part(page, 'connection-info')).toMatch(/viewer token \+ room code/)
    expect(await status(page)).toMatch(/waiting/i)
    await fake(page, 'fakeSdk.last.goLive("track-1")')
    await waitForState(page, 'playing')
    expect(await calls(page)).toEqual(['join:token', 'attachVideo:track-1'])
    // The track id changes after an SFU migration: detach the old one, attach the new one.
    await fake(page, 'fakeSdk.last.goLive("track-2")')
    await page.waitForFunction(() => (window as any).fakeSdk.calls.includes('attachVideo:track-2'))
    expect((await calls(page)).slice(2)).toEqual(['detachVideo:track-1', 'attachVideo:track-2'])
    const states = (await events(page)).filter((e) => (e as unknown[])[0] === 'state').map((e) => (e as unknown[])[1])
    expect(states).toEqual(['loading', 'connecting', 'waiting', 'playing'])
    expect(
      await page.evaluate(
        () => document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('video')!.muted,
      ),
    ).toBe(true)
    expectCleanConsole(tp, [READY_ROOM_CODE])
  })

  it('goes reconnecting and back, and ended when the room ends', async () => {
    const { page } = await openViewer(env.server.ids.ready)
    await waitForState(page, 'waiting')
    await fake(page, 'fakeSdk.last.goLive()')
    await waitForState(page, 'playing')
    await fake(page, 'fakeSdk.last.setRoomState("reconnecting")')
    await waitForState(page, 'reconnecting')
    expect(await status(page)).toMatch(/reconnecting/i)
    await fake(page, 'fakeSdk.last.setRoomState("connected")')
    await waitForState(page, 'playing')
    await fake(page, 'fakeSdk.last.emit({ type: "room-ended", reason: "host ended" })')
    await waitForState(page, 'ended')
    expect(await status(page)).toMatch(/ended/i)
    expect(await calls(page)).toContain('leave')
  })

  it('offers "Tap to unmute" when autoplay is blocked and calls unblockAudio from the click', async () => {
    const { page } = await openViewer(env.server.ids.ready)
    await waitForState(page, 'waiting')
    await fake(page, 'fakeSdk.last.goLive()')
    await waitForState(page, 'playing')
    await fake(page, 'fakeSdk.last.emit({ type: "autoplay-blocked" })')
    const button = page.locator('live-stream-viewer').getByRole('button', { name: /tap to unmute/i })
    await button.waitFor()
    await button.focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => (window as any).fakeSdk.calls.includes('unblockAudio'))
    await button.waitFor({ state: 'detached' })
  })

  it('fetches hls.js while joining and plays real H.264 HLS when the role receives no WebRTC media', async () => {
    const { page } = await openViewer(env.server.ids.ready, 'window.fakeSdk.receivesWebrtcMedia = false')
    await waitForState(page, 'waiting')
    // The chunk arrives while the SDK joins, before the room reports the stream's URL.
    await page.waitForFunction(() =>
      performance.getEntriesByType('resource').some((e) => e.name.includes('/chunks/hls-playback-')),
    )
    const requests = await playHls(page, stream.dir)
    expect(requests.get('stream.m3u8')).toBeGreaterThan(0)
    const video = await page.evaluate(() => {
      const v = document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('video')!
      return { width: v.videoWidth, height: v.videoHeight, muted: v.muted }
    })
    // Muted, so that the browser lets it start on its own; the viewer offers to unmute.
    expect(video).toEqual({ width: 320, height: 180, muted: true })
    expect(await part(page, 'connection-info')).toMatch(/HLS/)
    expect(await part(page, 'unmute-button')).toMatch(/tap to unmute/i)
    await page
      .locator('live-stream-viewer')
      .getByRole('button', { name: /tap to unmute/i })
      .click()
    await page.waitForFunction(
      () => document.querySelector('live-stream-viewer')!.shadowRoot!.querySelector('video')!.muted === false,
    )
    expect(await part(page, 'unmute-button')).toBeNull()
  })
})

describe('live-stream-viewer: credentials refresh and several viewers', () => {
  it('re-fetches the credentials before expiresAt, once per expiry (no loop)', async () => {
    const { page } = await openViewer(await env.server.expiringStream())
    await waitForState(page, 'waiting')
    const viewerFetches = () =>
      page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/viewer')).length)
    expect(await viewerFetches()).toBe(1)
    // expiresAt is 61 s away: the refresh is due 60 s before it (at least 5 s from now).
    await page.waitForFunction(
      () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/viewer')).length === 2,
      null,
      { timeout: 10_000 },
    )
    // The answer carries the same expiry, so no further refresh is scheduled.
    await page.waitForTimeout(6_000)
    expect(await viewerFetches()).toBe(2)
    expect(await page.evaluate(() => document.querySelector('live-stream-viewer')!.getAttribute('state'))).toBe(
      'waiting',
    )
    expect(await calls(page)).toEqual(['join:token'])
  }, 30_000)

  it('plays two viewers on one page independently', async () => {
    const { page } = await openViewer(env.server.ids.ready)
    await page.evaluate((id) => {
      const second = document.createElement('live-stream-viewer')
      second.id = 'second'
      second.setAttribute('session-id', id)
      document.querySelector('main')!.append(second)
    }, env.server.ids.limited)
    await page.waitForFunction(() =>
      [...document.querySelectorAll('live-stream-viewer')].every((v) => v.getAttribute('state') === 'waiting'),
    )
    expect(await page.evaluate(() => (window as any).fakeSdk.adapters.length)).toBe(2)
    await page.evaluate(() => document.getElementById('second')!.remove())
    expect(await page.evaluate(() => document.querySelector('live-stream-viewer')!.getAttribute('state'))).toBe(
      'waiting',
    )
    expect((await calls(page)).filter((c) => c === 'leave')).toHaveLength(1)
  })
})

describe('live-stream-viewer: join failures', () => {
  it('tries the room code once when 100ms rejects the token', async () => {
    const { page } = await openViewer(
      env.server.ids.ready,
      `window.fakeSdk.joinResults = [{ code: 401, name: 'ServerErrors', action: 'INIT', message: 'token rejected', isTerminal: true }]`,
    )
    await waitForState(page, 'waiting')
    expect(await calls(page)).toEqual(['join:token', 'leave', 'getAuthTokenByRoomCode', 'join:room-code-token'])
  })

  it('re-fetches the credentials once when every credential is rejected, then shows "contact the host"', async () => {
    const tp = await openViewer(
      env.server.ids.ready,
      `window.fakeSdk.joinDefault = { code: 401, name: 'ServerErrors', action: 'INIT', message: 'rejected', isTerminal: true }`,
    )
    const { page } = tp
    await waitForState(page, 'error')
    expect(await status(page)).toMatch(/contact the host/i)
    // token, room code; one re-fetch; token, room code again; then no more attempts.
    expect((await calls(page)).filter((c) => c.startsWith('join'))).toEqual([
      'join:token',
      'join:room-code-token',
      'join:token',
      'join:room-code-token',
    ])
    const fetches = await page.evaluate(
      () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/viewer')).length,
    )
    expect(fetches).toBe(2)
    await page.waitForTimeout(500)
    expect((await calls(page)).filter((c) => c.startsWith('join'))).toHaveLength(4)
  })

  it('treats a token the SDK cannot decode (InvalidCharacterError) as rejected', async () => {
    const { page } = await openViewer(
      env.server.ids.ready,
      `window.fakeSdk.joinDefault = new DOMException('bad', 'InvalidCharacterError')`,
    )
    await waitForState(page, 'error')
    expect(await events(page)).toContainEqual(['error', 'viewer_token_invalid', false])
  })

  it('ends a join that never settles in connection_failed with the internet message and Retry', async () => {
    const { page } = await openViewer(env.server.ids.ready, `window.fakeSdk.joinResults = ['hang']`)
    await waitForState(page, 'error')
    expect(await status(page)).toMatch(/check your internet connection/i)
    expect(await events(page)).toContainEqual(['error', 'connection_failed', true])
    const retry = page.locator('live-stream-viewer').getByRole('button', { name: 'Retry' })
    await retry.focus()
    await page.keyboard.press('Enter')
    await waitForState(page, 'waiting')
  })

  it('maps the network error 2003 (EndpointUnreachable) to connection_failed', async () => {
    const { page } = await openViewer(
      env.server.ids.ready,
      `window.fakeSdk.joinDefault = { code: 2003, name: 'EndpointUnreachable', action: 'INIT', message: 'Endpoint is not reachable', isTerminal: false }`,
    )
    await waitForState(page, 'error')
    expect(await events(page)).toContainEqual(['error', 'connection_failed', true])
  })
})

describe('live-stream-viewer: leaving', () => {
  it('calls leave() when removed from the page', async () => {
    const { page } = await openViewer(env.server.ids.ready)
    await waitForState(page, 'waiting')
    await page.evaluate(() => document.querySelector('live-stream-viewer')!.remove())
    expect(await calls(page)).toEqual(['join:token', 'leave'])
  })

  it('calls leave() when session-id changes, then joins the new session', async () => {
    const { page } = await openViewer(env.server.ids.ready)
    await waitForState(page, 'waiting')
    await page.evaluate(
      (id) => document.querySelector('live-stream-viewer')!.setAttribute('session-id', id),
      env.server.ids.limited,
    )
    await page.waitForFunction(() => (window as any).fakeSdk.calls.length >= 4)
    await waitForState(page, 'waiting')
    expect(await calls(page)).toEqual(['join:token', 'leave', 'getAuthTokenByRoomCode', 'join:room-code-token'])
    expect(await part(page, 'badge')).toBe('⚠️ Limited')
  })

  it('calls leave() when the page is left for another one', async () => {
    const { page } = await openViewer(env.server.ids.ready)
    await waitForState(page, 'waiting')
    await page.goto(`${env.server.url}/__widget-test__/elsewhere.html`)
    // The page's own record went with it; the fake keeps a copy in sessionStorage (same origin).
    const recorded = await page.evaluate(() => JSON.parse(sessionStorage.getItem('fakeSdkCalls') ?? '[]') as string[])
    expect(recorded).toEqual(['join:token', 'leave'])
  })

  it('calls leave() on pagehide', async () => {
    const { page } = await openViewer(env.server.ids.ready)
    await waitForState(page, 'waiting')
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })))
    expect(await calls(page)).toContain('leave')
  })
})
