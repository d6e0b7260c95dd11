import { createHash } from 'node:crypto'
import { readFile, realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, sep } from 'node:path'
import { type ContentCoding, negotiateEncoding } from './accept-encoding.js'
import { ifNoneMatchMatches } from './if-none-match.js'

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.d.ts': 'text/plain; charset=utf-8',
}

// Rollup names chunks `chunks/[name]-[hash].js` (widget/rollup.config.js): their content never
// changes under that name. Entry files (live-stream-viewer.js) keep their name across builds.
const HASHED_CHUNK = /^chunks\/[^/]+-[A-Za-z0-9_-]{8}\.js$/

/** The precompressed siblings the widget build writes next to every file, by coding. */
const SUFFIXES = { br: '.br', gzip: '.gz' } as const

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  // Module scripts are fetched with CORS: any page may embed the widget.
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
  vary: 'Accept-Encoding',
} as const

interface Representation {
  body: Buffer
  etag: string
}

function representation(body: Buffer): Representation {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` }
}

interface LoadedFile {
  mtimeMs: number
  size: number
  variants: Partial<Record<ContentCoding, Representation>>
}

/** Serves the built widget files (widget/dist) under /widget/. */
export interface WidgetFiles {
  /** Answers `GET` or `HEAD /widget/<rest>`; `rest` is the raw (still percent-encoded) remainder. */
  serve(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void>
}

/** The real path of `relative` under `base`, or null when it is missing, not a file, or leads outside. */
async function fileUnder(
  base: string,
  relative: string,
): Promise<{ path: string; mtimeMs: number; size: number } | null> {
  const full = join(base, relative)
  if (!full.startsWith(base + sep)) return null
  try {
    // realpath so that a symlink cannot lead out of the directory.
    const path = await realpath(full)
    if (!path.startsWith(base + sep)) return null
    const info = await stat(path)
    return info.isFile() ? { path, mtimeMs: info.mtimeMs, size: info.size } : null
  } catch {
    return null
  }
}

/**
 * Creates the widget file server for `dir`: `Accept-Encoding` negotiated among the precompressed
 * `.br` and `.gz` siblings (identity when one is missing or older than the file), `Vary:
 * Accept-Encoding`, hashed chunks cached as immutable, entry files revalidated by ETag (304).
 * `Range` is ignored (the whole file, 200). Precompressed siblings are not served by their own name.
 */
export function createWidgetFiles(dir: string): WidgetFiles {
  const loaded = new Map<string, LoadedFile>()
  let root: Promise<string> | null = null

  async function addVariant(base: string, relative: string, coding: 'br' | 'gzip', file: LoadedFile): Promise<void> {
    const found = await fileUnder(base, relative + SUFFIXES[coding])
    // A sibling older than the file is from an earlier build.
    if (found === null || found.mtimeMs < file.mtimeMs) return
    file.variants[coding] = representation(await readFile(found.path))
  }

  async function load(relative: string): Promise<LoadedFile | null> {
    root ??= realpath(dir)
    const base = await root.catch(() => null)
    if (base === null) return null
    const found = await fileUnder(base, relative)
    if (found === null) return null
    let file = loaded.get(found.path)
    if (file === undefined || file.mtimeMs !== found.mtimeMs || file.size !== found.size) {
      file = {
        mtimeMs: found.mtimeMs,
        size: found.size,
        variants: { identity: representation(await readFile(found.path)) },
      }
      loaded.set(found.path, file)
    }
    // A missing sibling is looked for again on every request: the build may write it later.
    for (const coding of ['br', 'gzip'] as const)
      if (file.variants[coding] === undefined) await addVariant(base, relative, coding, file)
    return file
  }

  return {
    async serve(req, res, rest) {
      const relative = safeRelativePath(rest)
      const file = relative === null || /\.(br|gz)$/i.test(relative) ? null : await load(relative).catch(() => null)
      if (relative === null || file === null) return plain(req, res, 404, 'Not found.\n')
      const coding = negotiateEncoding(req.headers['accept-encoding'], Object.keys(file.variants) as ContentCoding[])
      if (coding === null)
        return plain(req, res, 406, 'Not acceptable: this file is available as br, gzip or identity.\n')
      const { body, etag } = file.variants[coding] as Representation
      const name = relative.split(sep).join('/')
      const lower = name.toLowerCase()
      const headers: Record<string, string> = {
        ...COMMON_HEADERS,
        'content-type':
          (lower.endsWith('.d.ts') ? CONTENT_TYPES['.d.ts'] : CONTENT_TYPES[extname(lower)]) ??
          'application/octet-stream',
        'cache-control': HASHED_CHUNK.test(name)
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=300, must-revalidate',
        etag,
      }
      if (ifNoneMatchMatches(req.headers['if-none-match'], etag)) {
        res.writeHead(304, headers)
        res.end()
        return
      }
      if (coding !== 'identity') headers['content-encoding'] = coding
      headers['content-length'] = String(body.length)
      headers['accept-ranges'] = 'none'
      res.writeHead(200, headers)
      res.end(req.method === 'HEAD' ? undefined : body)
    },
  }
}

function plain(req: IncomingMessage, res: ServerResponse, status: 404 | 406, text: string): void {
  const body = Buffer.from(text)
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(body.length),
    'cache-control': 'no-store',
  })
  res.end(req.method === 'HEAD' ? undefined : body)
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
