/**
 * The built bundle (widget/dist) and the custom-elements.json manifest: the size budget of the
 * initial scripts, the SDK and hls.js only in lazy chunks, `process.env.NODE_ENV` replaced, and
 * the manifest in step with the sources.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { WIDGET_DIR, WIDGET_DIST, ensureWidgetBuilt } from './support/browser.js'

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

const gzipOf = (files: Iterable<string>) =>
  [...files].reduce((sum, f) => sum + gzipSync(readFileSync(join(WIDGET_DIST, f)), { level: 9 }).length, 0)

describe('widget bundle', () => {
  it.each(['live-stream-viewer.js', 'live-stream-list.js'])(
    '%s loads at most 12 KiB gzip before playback, Lit included',
    (entry) => {
      const files = staticClosure(entry)
      expect(gzipOf(files)).toBeLessThanOrEqual(12 * 1024)
      const code = [...files].map((f) => readFileSync(join(WIDGET_DIST, f), 'utf8')).join('\n')
      expect(code).toContain('customElements.define')
      expect(code).not.toMatch(/manifestLoadError|prod-init\.100ms\.live/)
    },
  )

  it('has the SDK and hls.js in lazy chunks, with process.env.NODE_ENV replaced', () => {
    const chunks = readdirSync(join(WIDGET_DIST, 'chunks'))
    const all = chunks.map((c) => readFileSync(join(WIDGET_DIST, 'chunks', c), 'utf8'))
    expect(all.some((code) => code.includes('prod-init.100ms.live'))).toBe(true)
    expect(all.some((code) => code.includes('manifestLoadError'))).toBe(true) // hls.js
    for (const code of all) expect(code).not.toContain('process.env.NODE_ENV')
    const viewer = readFileSync(join(WIDGET_DIST, 'live-stream-viewer.js'), 'utf8')
    expect(viewer).toMatch(/import\(["']\.\/chunks\/hms-sdk-adapter-/)
  })
})

describe('custom-elements.json', () => {
  const manifest = JSON.parse(readFileSync(join(WIDGET_DIR, 'custom-elements.json'), 'utf8'))
  const declarations = manifest.modules.flatMap((m: { declarations: unknown[] }) => m.declarations) as Array<{
    tagName: string
    events: Array<{ name: string }>
    cssParts: Array<{ name: string }>
    attributes: Array<{ name: string }>
  }>

  it.each([
    ['live-stream-viewer', 'src/live-stream-viewer.ts'],
    ['live-stream-list', 'src/live-stream-list.ts'],
  ])('documents every part and attribute of <%s>', (tag, file) => {
    const source = readFileSync(join(WIDGET_DIR, file), 'utf8')
    const declaration = declarations.find((d) => d.tagName === tag)!
    expect(declaration).toBeDefined()
    const usedParts = new Set([...source.matchAll(/part="([\w-]+)"/g)].map((m) => m[1]))
    expect(new Set(declaration.cssParts.map((p) => p.name))).toEqual(usedParts)
    const attributes = [...source.matchAll(/attribute: '([\w-]+)'/g)].map((m) => m[1])
    for (const attribute of attributes) expect(declaration.attributes.map((a) => a.name)).toContain(attribute)
  })

  it('lists the viewer events', () => {
    const viewer = declarations.find((d) => d.tagName === 'live-stream-viewer')!
    expect(viewer.events.map((e) => e.name).sort()).toEqual(['live-stream-error', 'live-stream-state'])
  })
})
