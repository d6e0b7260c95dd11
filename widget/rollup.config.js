// Builds the widget into dist/: two self-contained ES-module entries (Lit included); lazy chunks
// for the 100ms SDK, hls.js and each extra language; custom-elements.json, THIRD_PARTY_LICENSES.txt,
// and a .br and a .gz next to every file.
import { rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import commonjs from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import replace from '@rollup/plugin-replace'
import terser from '@rollup/plugin-terser'
import { customElementsManifest } from './build/custom-elements-manifest.js'
import { precompress } from './build/precompress.js'
import { thirdPartyLicenses } from './build/third-party-licenses.js'
import { typescriptSources } from './build/typescript-sources.js'

const here = dirname(fileURLToPath(import.meta.url))

/** The plugins that decide what is bundled (the license test bundles with these too). */
export const bundlePlugins = () => [
  typescriptSources(),
  // ua-parser-js 2 (a dependency of the 100ms SDK) is AGPL-3.0; its MIT 1.x has the API the SDK uses.
  {
    name: 'ua-parser-js-mit',
    resolveId(source, importer) {
      return source === 'ua-parser-js' ? this.resolve('ua-parser-js-mit', importer, { skipSelf: true }) : null
    },
  },
  // immer (inside the SDK) reads process.env.NODE_ENV unguarded.
  replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
  nodeResolve({
    browser: true,
    exportConditions: ['@hms-admin/source', 'production', 'browser', 'import', 'default'],
    extensions: ['.ts', '.mjs', '.js'],
  }),
  commonjs(),
]

/** The minifier: terser on everything but NO_MINIFY=1 (readable output when debugging the SDK chunk). */
const minify = () =>
  process.env.NO_MINIFY
    ? null
    : terser({
        ecma: 2020,
        module: true,
        toplevel: true,
        format: { comments: false },
        compress: { passes: 3, unsafe_arrows: true },
      })

const output = {
  dir: resolve(here, 'dist'),
  format: 'es',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
}

function onwarn(warning, warn) {
  if (['INVALID_ANNOTATION', 'THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY'].includes(warning.code)) return
  warn(warning)
}

/** The viewer entry, which defines both elements (its module graph holds every bundled package). */
export const viewerInput = { 'live-stream-viewer': resolve(here, 'src/index.ts') }

// Each entry is one self-contained file (Lit included), so a page loads one script before
// playback; the lazy chunks (SDK, hls.js, languages) are the same files for both.
export default [
  {
    input: viewerInput,
    output,
    onwarn,
    plugins: [
      // The typings (tsc, after rollup) are cleaned too, so no file of a removed module is left.
      {
        name: 'clean',
        buildStart: () => {
          for (const dir of ['dist', 'types']) rmSync(resolve(here, dir), { recursive: true, force: true })
        },
      },
      ...bundlePlugins(),
      minify(),
      customElementsManifest(here),
      thirdPartyLicenses(),
      precompress(),
    ],
  },
  {
    input: { 'live-stream-list': resolve(here, 'src/live-stream-list.ts') },
    output,
    onwarn,
    plugins: [...bundlePlugins(), minify(), precompress()],
  },
]
