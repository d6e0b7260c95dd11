#!/usr/bin/env node
// Widget bench: gzip size of the initial scripts (<live-stream-viewer> page and <live-stream-list>
// page, with every chunk they import statically) and of the lazy SDK and hls.js chunks; then, in
// headless Chromium against the real endpoint (`serve --demo` on a throwaway embedded database) on
// loopback, the time from a viewer's connection to its credentials being shown (title, badge and
// connection info rendered), against the baseline of the page doing the same fetch itself.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'widget', 'dist')
if (!existsSync(join(dist, 'live-stream-viewer.js'))) {
  execFileSync('npx', ['rollup', '-c', 'rollup.config.js'], { cwd: join(root, 'widget'), stdio: 'ignore' })
}

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KiB (${bytes} B)`

/** The file and every chunk it imports statically (what loads before playback). */
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen
  seen.add(file)
  const code = readFileSync(join(dist, file), 'utf8')
  const dir = dirname(file)
  for (const match of code.matchAll(
    /(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*from\s*)?["'](\.\.?\/[^"']+)["']/g,
  )) {
    staticClosure(join(dir, match[1]), seen)
  }
  return seen
}

/** Chunks a file loads with import(). */
function dynamicImports(file) {
  const code = readFileSync(join(dist, file), 'utf8')
  return [...code.matchAll(/import\(\s*["'](\.\.?\/[^"']+)["']\s*\)/g)].map((m) => join(dirname(file), m[1]))
}

const budget = 12 * 1024
for (const entry of ['live-stream-viewer.js', 'live-stream-list.js']) {
  const files = [...staticClosure(entry)]
  const total = files.reduce((sum, f) => sum + gz(f), 0)
  console.log(
    `initial ${entry.padEnd(22)} ${kb(total).padStart(22)} gzip (${files.length} files; budget ${kb(budget)}; ${((total / budget) * 100).toFixed(0)}% of budget)`,
  )
}
const initial = staticClosure('live-stream-viewer.js')
const lazy = new Set()
for (const file of initial) for (const d of dynamicImports(file)) lazy.add(d)
for (const file of [...lazy]) for (const d of dynamicImports(file)) lazy.add(d)
for (const file of [...lazy].sort()) {
  const closure = [...staticClosure(file)].filter((f) => !initial.has(f))
  const label = /hls/.test(file)
    ? 'lazy hls.js'
    : /adapter/.test(file)
      ? 'lazy SDK adapter'
      : 'lazy SDK (hms-video-store)'
  console.log(`${label.padEnd(30)} ${kb(closure.reduce((s, f) => s + gz(f), 0)).padStart(22)} gzip  ${file}`)
}

// Timing in Chromium (skipped when Chromium is missing).
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(executablePath)) {
  console.log(`timing skipped: no Chromium at ${executablePath}`)
  process.exit(0)
}
const { chromium } = await import('playwright-core')
// The real endpoint: `serve --demo` (startServer of @hms-admin/server) on a throwaway embedded database.
const { startServer } = await import('@hms-admin/server')
const dataDir = mkdtempSync(join(tmpdir(), 'hms-widget-bench-'))
const served = await startServer({ database: { dataDir }, port: 0, rateLimitPerMinute: 0, demo: true, widgetDir: dist })
const sessionId = served.demo.sessions.find((session) => session.handle === 'demo-ada').sessionId
const benchPage =
  '<!doctype html><html lang="en"><head><title>bench</title><link rel="icon" href="data:,"></head><body><script type="module">import { LiveStreamViewer } from "/widget/live-stream-viewer.js"; LiveStreamViewer.adapterFactory = () => new Promise(() => {}); window.ready = true</script></body></html>'
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
try {
  const page = await browser.newPage()
  // The bench page is the test's own (no SDK: its adapter never resolves); /api and /widget are the server's.
  await page.route(`${served.url}/__bench__/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: benchPage }),
  )
  await page.goto(`${served.url}/__bench__/page.html`)
  await page.waitForFunction(() => window.ready === true)
  const runs = 40
  const result = await page.evaluate(
    async ({ runs, sessionId }) => {
      const url = `/api/live-streams/${sessionId}/viewer`
      const element = []
      const baseline = []
      for (let i = 0; i < runs + 5; i++) {
        // Baseline: the page fetching and parsing the same answer itself.
        let t0 = performance.now()
        await (await fetch(url, { cache: 'no-store' })).json()
        if (i >= 5) baseline.push(performance.now() - t0)
        // The element: connection -> title shown in its shadow root.
        const viewer = document.createElement('live-stream-viewer')
        viewer.setAttribute('session-id', sessionId)
        const shown = new Promise((resolve) =>
          viewer.addEventListener('live-stream-state', (e) => e.detail.state === 'connecting' && resolve()),
        )
        t0 = performance.now()
        document.body.append(viewer)
        await shown
        const root = viewer.shadowRoot
        if (
          !root.querySelector('[part="title"]')?.textContent ||
          root.querySelector('[part="badge"]')?.textContent !== '✅ Ready' ||
          !root.querySelector('[part="connection-info"]')
        ) {
          throw new Error('credentials not shown')
        }
        if (i >= 5) element.push(performance.now() - t0)
        viewer.remove()
      }
      return { element, baseline }
    },
    { runs, sessionId },
  )
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]
  const m = median(result.element)
  const b = median(result.baseline)
  console.log(
    `connection -> credentials shown: median ${m.toFixed(1)} ms, p95 ${p95(result.element).toFixed(1)} ms (${runs} runs, loopback, real serve --demo)`,
  )
  console.log(
    `baseline page fetch+json:        median ${b.toFixed(1)} ms; ratio element/baseline ${(m / b).toFixed(2)}x`,
  )
} finally {
  await browser.close()
  await served.close()
  rmSync(dataDir, { recursive: true, force: true })
}
