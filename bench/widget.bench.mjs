#!/usr/bin/env node
// Widget bench. (1) Bytes on the wire: the brotli and gzip files the build writes next to each file
// of widget/dist (the endpoint sends those as they are), summed over the files a page really fetches
// before playback (seen by Chromium) and over the chunks playback adds; plus what Chromium reports
// it received (encodedBodySize). (2) Time to first frame of real H.264 HLS (made with Debian's
// ffmpeg): <live-stream-viewer> against the real endpoint (`serve --demo` on a throwaway embedded
// database) with a fake room adapter that reports the stream, against the baseline of a bare
// hls.js page on the same stream in the same browser run; each run in a fresh context (cold cache).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeHlsStream, routeHlsStream } from '../e2e/support/hls-stream.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'widget', 'dist')
if (!existsSync(join(dist, 'live-stream-viewer.js.br'))) {
  execFileSync('npx', ['rollup', '-c', 'rollup.config.js'], { cwd: join(root, 'widget'), stdio: 'ignore' })
}
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(executablePath)) {
  console.log(`skipped: no Chromium at ${executablePath}`)
  process.exit(0)
}

const BUDGET = 12 * 1024
const RUNS = Number(process.env.BENCH_RUNS ?? 25)
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`
const onWire = (files, encoding) =>
  files.reduce((sum, f) => sum + readFileSync(join(dist, `${f}.${encoding}`)).length, 0)
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]
const median = (xs) => quantile(xs, 0.5)

const { chromium } = await import('playwright-core')
const { startServer } = await import('@hms-admin/server')
const dataDir = mkdtempSync(join(tmpdir(), 'hms-widget-bench-'))
const served = await startServer({ database: { dataDir }, port: 0, rateLimitPerMinute: 0, demo: true, widgetDir: dist })
const sessionId = served.demo.sessions.find((session) => session.handle === 'demo-ada').sessionId
const stream = makeHlsStream()
const hlsJs = readFileSync(join(dirname(createRequire(import.meta.url).resolve('hls.js')), 'hls.light.min.js'))
const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})

/** Reports the first presented frame of `video` as window.firstFrame (ms since navigation start). */
const FIRST_FRAME = `(video) => video.requestVideoFrameCallback((now) => { window.firstFrame = now })`

/** The element's page: a fake room adapter that joins at once as an HLS viewer of `hlsUrl`. */
function viewerPage(hlsUrl, { resolveAdapter = true } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>viewer</title><link rel="icon" href="data:,"></head>
<body><live-stream-viewer session-id="${sessionId}"></live-stream-viewer>
<script type="module">
import { LiveStreamViewer } from '/widget/live-stream-viewer.js'
let listener = () => {}
const snapshot = { roomState: 'connected', videoTrackId: null, hlsUrl: ${JSON.stringify(hlsUrl)}, receivesWebrtcMedia: false }
const adapter = {
  async join() { listener({ type: 'snapshot', snapshot }) },
  async leave() {}, async getAuthTokenByRoomCode() { return '' }, async attachVideo() {}, async detachVideo() {},
  async unblockAudio() {}, async setVolume() {},
  subscribe(l) { listener = l; return () => {} },
}
LiveStreamViewer.adapterFactory = ${resolveAdapter ? '() => adapter' : '() => new Promise(() => {})'}
const viewer = document.querySelector('live-stream-viewer')
await viewer.updateComplete
;(${FIRST_FRAME})(viewer.shadowRoot.querySelector('video'))
</script></body></html>`
}

/** The baseline: a bare hls.js page (the same light build) playing the same stream. */
function barePage(hlsUrl) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title><link rel="icon" href="data:,"></head>
<body><video muted autoplay playsinline></video>
<script src="/__bench__/hls.light.min.js"></script>
<script>
const video = document.querySelector('video')
;(${FIRST_FRAME})(video)
const hls = new Hls()
hls.loadSource(${JSON.stringify(hlsUrl)})
hls.attachMedia(video)
</script></body></html>`
}

/** Opens `html` at the endpoint's origin in a fresh context; resolves to the page and its context. */
async function open(html) {
  const context = await browser.newContext()
  const { url } = await routeHlsStream(context, stream.dir)
  await context.route(`${served.url}/__bench__/**`, (route) =>
    route.request().url().endsWith('.js')
      ? route.fulfill({ contentType: 'text/javascript', body: hlsJs })
      : route.fulfill({ contentType: 'text/html', body: html(url) }),
  )
  const page = await context.newPage()
  await page.goto(`${served.url}/__bench__/page.html`)
  return { page, context }
}

/** The /widget/ files a page fetched, with what Chromium received for each. */
function widgetFiles(page) {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/widget/'))
      .map((e) => ({ file: new URL(e.name).pathname.replace(/^\/widget\//, ''), received: e.encodedBodySize })),
  )
}

try {
  // (1) Bytes: a viewer page whose adapter never loads (everything before playback), a list page,
  // and a playing page (plus the SDK adapter's chunks, which the fake adapter does not load).
  const before = await open((url) => viewerPage(url, { resolveAdapter: false }))
  await before.page.waitForFunction(
    () => document.querySelector('live-stream-viewer')?.getAttribute('state') === 'connecting',
  )
  // hls.js, which a viewer starts fetching once its credentials arrive (while the SDK loads), is
  // counted below with what playing adds, as the SDK is.
  const beforeFiles = (await widgetFiles(before.page)).filter((f) => !f.file.startsWith('chunks/hls-playback-'))
  await before.context.close()
  const list = await open(
    () =>
      '<!doctype html><html lang="en"><title>list</title><live-stream-list></live-stream-list><script type="module" src="/widget/live-stream-list.js"></script></html>',
  )
  await list.page.waitForFunction(() => document.querySelector('live-stream-list')?.shadowRoot?.querySelector('li'))
  const listFiles = await widgetFiles(list.page)
  await list.context.close()
  for (const [label, files] of [
    ['viewer page', beforeFiles],
    ['list page', listFiles],
  ]) {
    const names = files.map((f) => f.file)
    const br = onWire(names, 'br')
    console.log(
      `before play, ${label.padEnd(11)} ${kb(br)} br, ${kb(onWire(names, 'gz'))} gzip (budget ${kb(BUDGET)}: ${((br / BUDGET) * 100).toFixed(0)}%; aim 10 KiB); Chromium received ${kb(files.reduce((s, f) => s + f.received, 0))}; ${names.join(', ')}`,
    )
  }
  const chunk = (prefix) => readdirSync(join(dist, 'chunks')).find((f) => f.startsWith(prefix) && f.endsWith('.js'))
  const sdk = [`chunks/${chunk('hms-sdk-adapter-')}`, `chunks/${chunk('dist-')}`]
  console.log(
    `to play, SDK (WebRTC)          ${kb(onWire(sdk, 'br'))} br, ${kb(onWire(sdk, 'gz'))} gzip (aim 125 KiB); ${sdk.join(', ')}`,
  )
  const hls = [`chunks/${chunk('hls-playback-')}`]
  console.log(`to play, + hls.js (HLS viewers) ${kb(onWire(hls, 'br'))} br, ${kb(onWire(hls, 'gz'))} gzip`)
  for (const lang of ['es', 'hi', 'pt-br']) {
    const file = [`chunks/${chunk(`${lang}-`)}`]
    console.log(`language ${lang.padEnd(22)} ${kb(onWire(file, 'br'))} br, ${kb(onWire(file, 'gz'))} gzip (lazy)`)
  }

  // (2) Time to first frame, alternating element and bare page, each in a fresh context.
  const times = { element: [], bare: [] }
  for (let run = 0; run < RUNS + 2; run++) {
    for (const [name, html] of [
      ['element', (url) => viewerPage(url)],
      ['bare', barePage],
    ]) {
      const { page, context } = await open(html)
      await page.waitForFunction(() => typeof window.firstFrame === 'number', null, { timeout: 20_000 })
      if (run >= 2) times[name].push(await page.evaluate(() => window.firstFrame))
      await context.close()
    }
  }
  const element = median(times.element)
  const bare = median(times.bare)
  // Each element run is paired with the bare run right after it, so a busy moment of the machine
  // weighs on both sides of a ratio; the median of those ratios is the figure to compare.
  const ratios = times.element.map((t, i) => t / times.bare[i])
  const [low, high] = [quantile(ratios, 0.25), quantile(ratios, 0.75)]
  console.log(
    `time to first frame: <live-stream-viewer> median ${element.toFixed(0)} ms, bare hls.js page median ${bare.toFixed(0)} ms (${RUNS} runs each, alternating, cold cache, loopback); element/bare per pair: median ${median(ratios).toFixed(2)}x (middle half ${low.toFixed(2)}–${high.toFixed(2)}x; goal <= 1x)`,
  )
} finally {
  await browser.close()
  await served.close()
  stream.close()
  rmSync(dataDir, { recursive: true, force: true })
}
