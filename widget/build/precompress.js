import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

/** The brotli encoding the endpoint serves: the best quality, tuned for text of this size. */
export function brotliOf(body) {
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  })
}

/**
 * Writes `<file>.br` (brotli quality 11) and `<file>.gz` (gzip level 9) next to every file of the
 * bundle, so the endpoint can send them as they are with `Content-Encoding`.
 */
export function precompress() {
  return {
    name: 'precompress',
    async writeBundle(options, bundle) {
      await Promise.all(
        Object.keys(bundle).map(async (fileName) => {
          const path = join(options.dir, fileName)
          const body = await readFile(path)
          await Promise.all([
            brotliOf(body).then((data) => writeFile(`${path}.br`, data)),
            gz(body, { level: 9 }).then((data) => writeFile(`${path}.gz`, data)),
          ])
        }),
      )
    },
  }
}
