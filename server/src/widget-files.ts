import { createHash } from 'node:crypto'
import { readFile, realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.d.ts': 'text/plain; charset=utf-8',
}

// Rollup names chunks `chunks/[name]-[hash].js` (widget/rollup.config.js): their content never
// changes under that name. Entry files (live-stream-viewer.js) keep their name across builds.
const HASHED_CHUNK = /^chunks\/[^/]+-[A-Za-z0-9_-]{8}\.js$/

interface LoadedFile {
  body: Buffer
  etag: string
  mtimeMs: number
  size: number
}

/** Serves the built widget files (widget/dist) under /widget/. */
export interface WidgetFiles {
  /** Answers `GET /widget/<rest>`; `rest` is the raw (still percent-encoded) remainder. */
  serve(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void>
}

/** Creates the widget file server for `dir`. */
export function createWidgetFiles(dir: string): WidgetFiles {
  const loaded = new Map<string, LoadedFile>()
  let root: string | null = null

  async function rootDir(): Promise<string> {
    root ??= await realpath(dir)
    return root
  }

  async function load(relative: string): Promise<LoadedFile | null> {
    let base: string
    try {
      base = await rootDir()
    } catch {
      return null
    }
    const full = join(base, relative)
    if (!full.startsWith(base + sep)) return null
    try {
      // realpath so that a symlink cannot lead out of the directory.
      const real = await realpath(full)
      if (!real.startsWith(base + sep)) return null
      const info = await stat(real)
      if (!info.isFile()) return null
      const cached = loaded.get(real)
      if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached
      const body = await readFile(real)
      const file = {
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        mtimeMs: info.mtimeMs,
        size: info.size,
      }
      loaded.set(real, file)
      return file
    } catch {
      return null
    }
  }

  return {
    async serve(req, res, rest) {
      const relative = safeRelativePath(rest)
      const file = relative === null ? null : await load(relative)
      if (relative === null || file === null) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
        res.end('Not found\n')
        return
      }
      const name = relative.toLowerCase()
      const type = name.endsWith('.d.ts') ? CONTENT_TYPES['.d.ts'] : CONTENT_TYPES[extname(name)]
      const headers: Record<string, string> = {
        'content-type': type ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        // Module scripts are fetched with CORS: any page may embed the widget.
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
        'cache-control': HASHED_CHUNK.test(relative.split(sep).join('/'))
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=300, must-revalidate',
        etag: file.etag,
      }
      if (req.headers['if-none-match'] === file.etag) {
        res.writeHead(304, headers)
        res.end()
        return
      }
      headers['content-length'] = String(file.body.length)
      res.writeHead(200, headers)
      res.end(file.body)
    },
  }
}

/**
 * The relative file path of a /widget/ request remainder, or null when it is unsafe or malformed:
 * percent-decoding errors, NUL, backslashes, `.`/`..`/empty segments and dot-files are refused.
 */
export function safeRelativePath(rest: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(rest)
  } catch {
    return null
  }
  if (decoded === '' || decoded.length > 512) return null
  if (/[\0\\:]/.test(decoded)) return null
  const segments = decoded.split('/')
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('.')) return null
  }
  return segments.join(sep)
}
