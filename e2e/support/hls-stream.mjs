/**
 * Real H.264 HLS test media: a few seconds of video (a moving test pattern and a tone) made with
 * Debian's ffmpeg into a temp directory at test time, and served to a page from its own origin
 * with CORS, as a CDN serves a 100ms HLS stream. Served through Playwright's routing, like the
 * test pages themselves: Chromium refuses a routed page's requests to a loopback server (Local
 * Network Access). Used by the browser tests and by `npm run bench -- widget`; plain JS (typed
 * by hls-stream.d.mts) so that the bench can import it too.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'

/** The origin the media is served from (never resolved: every request is routed). */
export const HLS_ORIGIN = 'http://media.hls.test'

const TYPES = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t' }

/**
 * Encodes `seconds` (default 4) of 320×180 H.264 (baseline, 25 fps, a keyframe every second)
 * with AAC audio into a live HLS playlist (`stream.m3u8`, 1 s segments, no end tag) in a new temp
 * directory. `close()` removes it.
 */
export function makeHlsStream({ seconds = 4 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hms-widget-hls-'))
  try {
    // biome-ignore format: the options read best as flag-value pairs
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
      '-g', '25', '-keyint_min', '25', '-sc_threshold', '0',
      '-c:a', 'aac', '-b:a', '48k', '-ac', '1',
      '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0', '-hls_flags', 'independent_segments+omit_endlist',
      '-hls_segment_filename', join(dir, 'segment%d.ts'),
      join(dir, 'stream.m3u8'),
    ])
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return { dir, close: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Serves the stream in `dir` at `${HLS_ORIGIN}/stream.m3u8` to `target` (a Playwright page or
 * browser context) with `Access-Control-Allow-Origin: *`. Resolves to the playlist URL and a
 * count of requests by file name.
 */
export async function routeHlsStream(target, dir) {
  const requests = new Map()
  await target.route(`${HLS_ORIGIN}/**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice(1)
    requests.set(name, (requests.get(name) ?? 0) + 1)
    const contentType = TYPES[extname(name)]
    if (!contentType || name.includes('/')) return route.fulfill({ status: 404 })
    const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' }
    return route.fulfill({ path: join(dir, name), contentType, headers })
  })
  return { url: `${HLS_ORIGIN}/stream.m3u8`, requests }
}
