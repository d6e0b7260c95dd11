/**
 * The built bundle (widget/dist): what a page loads before playback stays within budget on the
 * wire (the .br and .gz the build writes next to each file, which the endpoint sends as they
 * are); the SDK, hls.js and every language but English are lazy chunks; the third-party licenses
 * cover every bundled package; the committed custom-elements.json is the one the build generates.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { rollup } from 'rollup'
import { beforeAll, describe, expect, it } from 'vitest'
import { WIDGET_DIR, WIDGET_DIST, ensureWidgetBuilt } from './support/browser.js'

/** What may load before playback: 12 KiB on the wire as browsers get it (brotli: every browser with ES modules asks for it). */
const BUDGET = 12 * 1024
/** The gzip fallback, for clients without brotli: a regression guard (it does not hold 12 KiB). */
const GZIP_GUARD = 14 * 1024

beforeAll(() => ensureWidgetBuilt(), 240_000)

function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const code = readFileSync(join(WIDGET_DIST, file), 'utf8')
  for (const match of code.matchAll(
    /(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*from\s*)?["'](\.\.?\/[^"']+)["']/g,
  )) {
    staticClosure(join(dirname(file), match[1]!), seen)
  }
  return seen
}

/** Every file of dist (relative paths), without the precompressed copies. */
function distFiles(dir = WIDGET_DIST): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? distFiles(join(dir, entry.name))
      : /\.(br|gz)$/.test(entry.name)
        ? []
        : [relative(WIDGET_DIST, join(dir, entry.name))],
  )
}

const wire = (files: Iterable<string>, encoding: 'br' | 'gz') =>
  [...files].reduce((sum, f) => sum + readFileSync(join(WIDGET_DIST, `${f}.${encoding}`)).length, 0)

describe('widget bundle', () => {
  it.each(['live-stream-viewer.js', 'live-stream-list.js'])(
    '%s is one file of at most 12 KiB brotli (14 KiB gzip), with Lit, the controls and English',
    (entry) => {
      const files = staticClosure(entry)
      expect([...files]).toEqual([entry])
      expect(wire(files, 'br')).toBeLessThanOrEqual(BUDGET)
      expect(wire(files, 'gz')).toBeLessThanOrEqual(GZIP_GUARD)
      const code = readFileSync(join(WIDGET_DIST, entry), 'utf8')
      expect(code).toContain('customElements.define')
      expect(code).toContain('No one is live right now.')
      expect(code).not.toMatch(/manifestLoadError|prod-init\.100ms\.live|Reintentar|Tentar novamente/)
      if (entry === 'live-stream-viewer.js')
        expect(code).toMatch(/fullscreen-button.*Tap to unmute|Tap to unmute.*fullscreen-button/s)
    },
  )

  it('has the SDK, hls.js and each other language in lazy chunks, with process.env.NODE_ENV replaced', () => {
    const chunks = readdirSync(join(WIDGET_DIST, 'chunks')).filter((c) => c.endsWith('.js'))
    const code = (name: RegExp) =>
      chunks.filter((c) => name.test(c)).map((c) => readFileSync(join(WIDGET_DIST, 'chunks', c), 'utf8'))
    expect(code(/^dist-/).join('')).toContain('prod-init.100ms.live')
    expect(code(/^hls-playback-/).join('')).toContain('manifestLoadError')
    expect(code(/^es-/).join('')).toContain('Reintentar')
    expect(code(/^hi-/).join('')).toContain('फिर से कोशिश करें')
    expect(code(/^pt-br-/).join('')).toContain('Tentar novamente')
    for (const c of code(/./)) expect(c).not.toContain('process.env.NODE_ENV')
    const viewer = readFileSync(join(WIDGET_DIST, 'live-stream-viewer.js'), 'utf8')
    expect(viewer).toMatch(/import\(["']\.\/chunks\/hms-sdk-adapter-/)
    expect(viewer).toMatch(/import\(["']\.\/chunks\/es-/)
  })

  it('writes next to every file a .br (brotli) and a .gz (gzip) of the same bytes', () => {
    const files = distFiles()
    expect(files).toEqual(
      expect.arrayContaining(['live-stream-viewer.js', 'custom-elements.json', 'THIRD_PARTY_LICENSES.txt']),
    )
    for (const file of files) {
      const body = readFileSync(join(WIDGET_DIST, file))
      expect(brotliDecompressSync(readFileSync(join(WIDGET_DIST, `${file}.br`))).equals(body), file).toBe(true)
      expect(gunzipSync(readFileSync(join(WIDGET_DIST, `${file}.gz`))).equals(body), file).toBe(true)
    }
  })
})

describe('THIRD_PARTY_LICENSES.txt', () => {
  it('names every package with code in the bundle, with its license text, and none under the (A)GPL', async () => {
    // Rollup's own account of the bundle: the viewer entry's graph holds every module of both entries.
    const config = await import(pathToFileURL(join(WIDGET_DIR, 'rollup.config.js')).href)
    const bundle = await rollup({ input: config.viewerInput, plugins: config.bundlePlugins(), onwarn: () => undefined })
    const { output } = await bundle.generate({ format: 'es' })
    await bundle.close()
    const roots = new Set<string>()
    for (const chunk of output) {
      if (chunk.type !== 'chunk') continue
      for (const [moduleId, info] of Object.entries(chunk.modules)) {
        const id = moduleId.replace(/^\0/, '').replace(/\?.*$/, '') // commonjs wrappers of a file
        const at = id.lastIndexOf(`${sep}node_modules${sep}`)
        if (info.renderedLength === 0 || at < 0) continue
        const rest = id.slice(at + 14).split(sep)
        roots.add(id.slice(0, at + 14) + rest.slice(0, rest[0]!.startsWith('@') ? 2 : 1).join(sep))
      }
    }
    const bundled = [...roots].map(
      (root) => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string },
    )
    expect(bundled.map((p) => p.name)).toEqual(
      expect.arrayContaining(['lit-html', 'hls.js', '@100mslive/hms-video-store']),
    )
    const text = readFileSync(join(WIDGET_DIST, 'THIRD_PARTY_LICENSES.txt'), 'utf8')
    const sections = text.split(/^={80}$/m).slice(1)
    const listed = new Map(sections.map((section) => [/^Package: (.+)$/m.exec(section)?.[1], section] as const))
    for (const { name, version } of bundled) {
      const section = listed.get(`${name}@${version}`)
      expect(section, `${name}@${version}`).toBeDefined()
      expect(section!.length, name).toBeGreaterThan(400) // the license text itself, not only its name
    }
    expect(
      listed.has(
        `lit@${JSON.parse(readFileSync(join(WIDGET_DIR, '..', 'node_modules', 'lit', 'package.json'), 'utf8')).version}`,
      ),
    ).toBe(true)
    expect(text).not.toMatch(/^License: .*GPL/m)
  }, 120_000)
})

describe('custom-elements.json', () => {
  const committed = JSON.parse(readFileSync(join(WIDGET_DIR, 'custom-elements.json'), 'utf8'))
  const declarations = committed.modules.flatMap((m: { declarations: unknown[] }) => m.declarations) as Array<{
    tagName?: string
    events?: Array<{ name: string }>
    cssParts?: Array<{ name: string }>
    cssProperties?: Array<{ name: string }>
    attributes?: Array<{ name: string }>
  }>

  it('is the manifest the build generates from the sources (run `npm run manifest -w @hms-admin/widget`)', () => {
    const fresh = JSON.parse(readFileSync(join(WIDGET_DIST, 'custom-elements.json'), 'utf8'))
    expect(committed).toEqual(fresh)
  })

  it.each([
    ['live-stream-viewer', ['src/live-stream-viewer.ts', 'src/player-controls.ts'], 'src/viewer-styles.ts'],
    ['live-stream-list', ['src/live-stream-list.ts'], 'src/live-stream-list.ts'],
  ])('documents every part, attribute and custom property of <%s>', (tag, files, styles) => {
    const source = files.map((file) => readFileSync(join(WIDGET_DIR, file), 'utf8')).join('\n')
    const declaration = declarations.find((d) => d.tagName === tag)!
    expect(declaration).toBeDefined()
    const usedParts = new Set([...source.matchAll(/part="([\w-]+)"/g)].map((m) => m[1]))
    expect(new Set(declaration.cssParts!.map((p) => p.name))).toEqual(usedParts)
    const attributes = [...source.matchAll(/attribute: '([\w-]+)'/g)].map((m) => m[1])
    expect(declaration.attributes!.map((a) => a.name).sort()).toEqual(attributes.sort())
    const properties = new Set(
      [...readFileSync(join(WIDGET_DIR, styles), 'utf8').matchAll(/var\((--live-stream-[\w-]+)/g)].map((m) => m[1]),
    )
    expect(new Set(declaration.cssProperties!.map((p) => p.name))).toEqual(properties)
  })

  it('lists the viewer events', () => {
    const viewer = declarations.find((d) => d.tagName === 'live-stream-viewer')!
    expect(viewer.events!.map((e) => e.name).sort()).toEqual(['live-stream-error', 'live-stream-state'])
  })
})
