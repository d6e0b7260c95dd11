import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { init, parse } from 'es-module-lexer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkedFetch as fetch } from '../../test-support/openapi-fetch.js'
import { rawRequest } from '../../test-support/raw-http.js'
import { createRequestHandler, defaultWidgetDir, type ViewerRequestHandler } from '../src/create-request-handler.js'
import type { ServeStore } from '../src/serve-store.js'

// The widget files on a temporary widget directory: content negotiation, caching and bad input.

const emptyStore: ServeStore = {
  getStream: async () => null,
  listLiveStreams: async () => [],
  ping: async () => {},
  subscribe: async (_onChange, onSubscribed) => {
    onSubscribed(true)
    return async () => {}
  },
}

const ENTRY = `export const hello = ${JSON.stringify('widget '.repeat(400))}\n`
const CHUNK = `export const lazy = ${JSON.stringify('chunk '.repeat(400))}\n`
const PAST = new Date(Date.now() - 3_600_000)

function writeWithSiblings(path: string, body: string, siblings: ('br' | 'gz')[]): void {
  writeFileSync(path, body)
  if (siblings.includes('br')) writeFileSync(`${path}.br`, brotliCompressSync(body))
  if (siblings.includes('gz')) writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }))
}

describe('the widget files', () => {
  let dir: string
  let handler: ViewerRequestHandler
  let server: Server
  let base: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hms-widget-'))
    const dist = join(dir, 'dist')
    mkdirSync(join(dist, 'chunks'), { recursive: true })
    writeWithSiblings(join(dist, 'live-stream-viewer.js'), ENTRY, ['br', 'gz'])
    writeWithSiblings(join(dist, 'chunks', 'lazy-AbCd_f12.js'), CHUNK, ['br', 'gz'])
    writeWithSiblings(join(dist, 'chunks', 'nobr-AbCd-f34.js'), CHUNK, ['gz'])
    // A .br left over from an earlier build: older than the file it was made from.
    writeWithSiblings(join(dist, 'stale.js'), ENTRY, ['br'])
    utimesSync(join(dist, 'stale.js.br'), PAST, PAST)
    writeFileSync(join(dir, 'secret.txt'), 'outside\n')
    symlinkSync(join(dir, 'secret.txt'), join(dist, 'link.js'))
    handler = createRequestHandler({ store: emptyStore, widgetDir: dist })
    server = createServer(handler.handler)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await handler.close()
    await new Promise((resolve) => server.close(resolve))
    rmSync(dir, { recursive: true, force: true })
  })

  const get = (path: string, acceptEncoding?: string, method = 'GET') =>
    rawRequest(base, path, method, acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding })
  const header = (head: string, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? null

  it.each([
    ['br, gzip', 'br', brotliCompressSync(ENTRY)],
    ['gzip, deflate, br, zstd', 'br', brotliCompressSync(ENTRY)],
    ['gzip', 'gzip', gzipSync(ENTRY, { level: 9 })],
    ['br;q=0.5, gzip', 'gzip', gzipSync(ENTRY, { level: 9 })],
    ['identity', null, Buffer.from(ENTRY)],
    ['zstd, compress', null, Buffer.from(ENTRY)],
    ['br;q=0, gzip;q=0', null, Buffer.from(ENTRY)],
    [undefined, null, Buffer.from(ENTRY)],
  ])('answers Accept-Encoding %j with the %s file as it is stored', async (accept, coding, bytes) => {
    const answer = await get('/widget/live-stream-viewer.js', accept)
    expect(answer.status).toBe(200)
    expect(header(answer.head, 'content-encoding')).toBe(coding)
    expect(header(answer.head, 'vary')).toBe('Accept-Encoding')
    expect(header(answer.head, 'content-length')).toBe(String(bytes.length))
    expect(answer.body.equals(bytes)).toBe(true)
  })

  it('sends the decoded file whatever the coding (fetch decodes br and gzip)', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const res = await fetch(`${base}/widget/live-stream-viewer.js`, { headers: { 'accept-encoding': accept } })
      expect(await res.text()).toBe(ENTRY)
    }
  })

  it('falls back to another coding when a sibling is missing or older than the file', async () => {
    expect(header((await get('/widget/chunks/nobr-AbCd-f34.js', 'br, gzip')).head, 'content-encoding')).toBe('gzip')
    expect(header((await get('/widget/chunks/nobr-AbCd-f34.js', 'br')).head, 'content-encoding')).toBeNull()
    const stale = await get('/widget/stale.js', 'br, gzip')
    expect([stale.status, header(stale.head, 'content-encoding'), stale.body.toString()]).toEqual([200, null, ENTRY])
  })

  it.each(['identity;q=0', '*;q=0', 'br;q=0, gzip;q=0, identity;q=0'])(
    'answers 406 when Accept-Encoding %j refuses every coding',
    async (accept) => {
      const res = await fetch(`${base}/widget/live-stream-viewer.js`, { headers: { 'accept-encoding': accept } })
      expect(res.status).toBe(406)
      expect(await res.text()).toMatch(/^Not acceptable/)
    },
  )

  it('caches hashed chunks for a year and revalidates entry files by ETag', async () => {
    const chunk = await fetch(`${base}/widget/chunks/lazy-AbCd_f12.js`)
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const entry = await fetch(`${base}/widget/live-stream-viewer.js`, { headers: { 'accept-encoding': 'br' } })
    expect(entry.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate')
    expect(entry.headers.get('access-control-allow-origin')).toBe('*')
    const etag = entry.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[\w-]{22}"$/)
    const gzipped = await fetch(`${base}/widget/live-stream-viewer.js`, { headers: { 'accept-encoding': 'gzip' } })
    expect(gzipped.headers.get('etag')).not.toBe(etag)
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await fetch(`${base}/widget/live-stream-viewer.js`, {
        headers: { 'accept-encoding': 'br', 'if-none-match': ifNoneMatch },
      })
      expect([ifNoneMatch, again.status, await again.text()]).toEqual([ifNoneMatch, 304, ''])
      expect(again.headers.get('etag')).toBe(etag)
    }
    const other = await fetch(`${base}/widget/live-stream-viewer.js`, {
      headers: { 'accept-encoding': 'br', 'if-none-match': '"other"' },
    })
    expect(other.status).toBe(200)
  })

  it('ignores Range and sends the whole file', async () => {
    const res = await fetch(`${base}/widget/live-stream-viewer.js`, {
      headers: { 'accept-encoding': 'identity', range: 'bytes=0-9' },
    })
    expect([res.status, res.headers.get('accept-ranges'), await res.text()]).toEqual([200, 'none', ENTRY])
  })

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await get('/widget/live-stream-viewer.js', 'br, gzip', 'HEAD')
    expect(head.status).toBe(200)
    expect(header(head.head, 'content-encoding')).toBe('br')
    expect(header(head.head, 'content-length')).toBe(String(brotliCompressSync(ENTRY).length))
    expect(head.body.length).toBe(0)
    expect((await fetch(`${base}/widget/live-stream-viewer.js`, { method: 'HEAD' })).status).toBe(200)
  })

  it('does not serve the precompressed files by their own name', async () => {
    for (const name of ['live-stream-viewer.js.br', 'live-stream-viewer.js.gz', 'live-stream-viewer.js.BR'])
      expect([name, (await fetch(`${base}/widget/${name}`)).status]).toEqual([name, 404])
  })

  it.each([
    '/widget/../secret.txt',
    '/widget/chunks/../../secret.txt',
    '/widget/%2e%2e/secret.txt',
    '/widget/%2E%2E/secret.txt',
    '/widget/..%2fsecret.txt',
    '/widget/chunks%2f..%2f..%2fsecret.txt',
    '/widget/..\\secret.txt',
    '/widget/%5c..%5csecret.txt',
    '/widget/x%00.js',
    '/widget/%00',
    '/widget/link.js',
    '/widget/chunks',
    '/widget/%',
    '/widget/.%2e/secret.txt',
  ])('answers %s with 4xx and never a file outside the widget directory', async (path) => {
    const answer = await get(path, 'br, gzip')
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(answer.status).toBeLessThan(500)
    expect(answer.body.toString()).not.toContain('outside')
  })

  it('answers other methods with 405', async () => {
    const res = await fetch(`${base}/widget/live-stream-viewer.js`, { method: 'POST' })
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'GET, HEAD, OPTIONS'])
  })
})

/**
 * The script a page loads before play: its module scripts and what they import statically
 * (not `import()`), fetched with `acceptEncoding`; the bytes of each body as sent.
 */
async function initialScript(base: string, page: string, acceptEncoding: string): Promise<Map<string, number>> {
  await init
  const html = (await rawRequest(base, page)).body.toString()
  const queue = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => new URL(m[1] ?? '', base).href)
  const sent = new Map<string, number>()
  while (queue.length > 0) {
    const url = queue.shift() as string
    if (sent.has(url)) continue
    const answer = await rawRequest(base, new URL(url).pathname, 'GET', { 'accept-encoding': acceptEncoding })
    expect([url, answer.status]).toEqual([url, 200])
    sent.set(url, answer.body.length)
    const coding = /^content-encoding: (\S+)/im.exec(answer.head)?.[1]
    const source =
      coding === 'br' ? brotliDecompressSync(answer.body) : coding === 'gzip' ? gunzipSync(answer.body) : answer.body
    const [imports] = parse(source.toString())
    // d === -1: a static import or re-export; import() (d >= 0) waits for play.
    for (const { n, d } of imports) if (d === -1 && n?.startsWith('.')) queue.push(new URL(n, url).href)
  }
  return sent
}

const total = (sent: Map<string, number>) => [...sent.values()].reduce((sum, bytes) => sum + bytes, 0)

describe("the demo page's script before play, from the built widget", () => {
  let handler: ViewerRequestHandler
  let server: Server
  let base: string

  beforeAll(async () => {
    handler = createRequestHandler({ store: emptyStore, demo: true, widgetDir: defaultWidgetDir() })
    server = createServer(handler.handler)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await handler.close()
    await new Promise((resolve) => server.close(resolve))
  })

  it('is at most 12 KB on the wire with Accept-Encoding: br, gzip, every file precompressed', async () => {
    const compressed = await initialScript(base, '/', 'br, gzip')
    const raw = await initialScript(base, '/', 'identity')
    expect([...compressed.keys()]).toEqual([...raw.keys()])
    expect(compressed.size).toBeGreaterThanOrEqual(1)
    for (const [url, bytes] of compressed) expect(bytes, url).toBeLessThan(raw.get(url) as number)
    expect(total(compressed)).toBeLessThanOrEqual(12 * 1024)
  })
})
