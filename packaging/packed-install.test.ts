import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  command,
  fetchModuleGraph,
  installPackedCli,
  REPO,
  readmeSnippet,
  type Started,
  startListening,
} from './packed-install.js'

// What a new user gets from the packed tarballs, in an empty directory with no workspace or
// repository around it: one `npm install` of the CLI tarball (from the npm registry for the rest),
// shared by both tests. Needs the built dist/ of every package (`npm test` builds first).

const INSTALL_TIMEOUT_MS = 15 * 60_000

/** Checks the demo page or site page at `base`: it answers 200 and so does every widget module it loads. */
async function expectWidgetServed(base: string): Promise<void> {
  const page = await fetch(`${base}/`)
  expect(page.status).toBe(200)
  const html = await page.text()
  const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => new URL(m[1] ?? '', base).href)
  expect(scripts).toEqual([`${base}/widget/live-stream-viewer.js`])
  const statuses = await fetchModuleGraph(scripts[0] as string)
  // The entry, the shared chunk and the lazily imported SDK and hls.js chunks at least.
  expect(statuses.size).toBeGreaterThanOrEqual(4)
  expect([...statuses].filter(([, status]) => status !== 200)).toEqual([])
}

describe('the packed packages installed in an empty directory', () => {
  let dir: string
  let app: string
  const running: Started[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hms-admin-packed-'))
    app = await installPackedCli(dir)
  }, INSTALL_TIMEOUT_MS)

  afterAll(async () => {
    for (const started of running) await started.stop('SIGKILL')
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('runs `npx hms-admin --version`', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'cli', 'package.json'), 'utf8')) as { version: string }
    expect((await command('npx', ['--no', '--', 'hms-admin', '--version'], app)).trim()).toBe(version)
  })

  it('serves the demo and every widget module with `npx hms-admin serve --demo` on an embedded database', async () => {
    const serve = startListening(
      'npx',
      ['--no', '--', 'hms-admin', 'serve', '--demo', '--port', '0'],
      join(app, 'demo'),
    )
    running.push(serve)
    const base = await serve.url
    await expectWidgetServed(base)
    const streams = (await (await fetch(`${base}/api/live-streams`)).json()) as { streams: unknown[] }
    expect(streams.streams).toHaveLength(3)
    await serve.stop('SIGINT')
    // Shut down gracefully (npx itself dies of the signal; the server finishes and says so).
    expect(serve.output()).toContain('Stopped.')
  }, 180_000)

  it("serves a site's own page and the widget with @hms-admin/server mounted in node:http, as the README shows", async () => {
    const site = join(app, 'site')
    mkdirSync(site)
    await command('npx', ['--no', '--', 'hms-admin', 'migrate'], site)
    writeFileSync(join(site, 'server.mjs'), readmeSnippet('<!-- packed-install: server.mjs -->'))
    const server = startListening(process.execPath, ['server.mjs'], site, { PORT: '0' })
    running.push(server)
    const base = await server.url
    await expectWidgetServed(base)
    expect(await (await fetch(`${base}/api/live-streams`)).json()).toEqual({ streams: [] })
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
  }, 180_000)
})
